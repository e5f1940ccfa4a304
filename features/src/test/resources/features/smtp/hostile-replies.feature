@beyond-classic
Feature: Replies that are not proper SMTP
  Replies are parsed strictly. A reply that breaks the grammar ends the session with a temporary
  failure that names the command; what the server said is quoted with every byte outside printable
  ASCII shown as '?', so it can neither forge report structure nor smuggle a NUL.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "timeoutremote" contains "2"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: Garbage instead of a greeting
    Given the mail exchanger on 127.0.0.2 answers GREETING with the bytes "HTTP/1.1 400 Bad Request\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but its reply to greeting was not valid SMTP. (#4.4.2)\nRemote host said: HTTP/1.1 400 Bad Request\n\0
      """

  Scenario: NUL, control and 8-bit bytes in a rejection are shown as '?'
    Given the mail exchanger on 127.0.0.2 answers RCPT with the bytes "550 bad\x00user\x1b[31m \xe9t\xe9\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 550 bad?user?[31m ?t?\n\0
      DGiving up on 127.0.0.2.\n\0
      """

  Scenario: A bare LF ends a reply line like CRLF
    Given the mail exchanger on 127.0.0.2 answers MAIL with the bytes "451-4.7.1 first\n451 4.7.1 second\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but sender was rejected.\nRemote host said: 451-4.7.1 first\n451 4.7.1 second\n\0
      """
