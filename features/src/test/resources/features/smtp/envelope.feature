Feature: The envelope on the wire
  Addresses are sent as RFC 5321 paths: a local part that is not a dot-string is quoted, the empty
  sender of a bounce is <>. No byte of an argument can end an SMTP command early.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: A bounce has the empty sender, and an odd local part is quoted
    When qmail-remote delivers to "example.test" from "" to "john smith@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And 127.0.0.2 received a message from "" to "\"john smith\"@example.test"

  @beyond-classic
  Scenario: A sender with a line break is refused, and nothing is sent
    When qmail-remote delivers to "example.test" from "alice@sender.test\r\nRCPT TO:<evil@example.test>" to "bob@example.test"
    Then the reports are:
      """
      DSorry, the envelope sender has bytes SMTP cannot carry (CR, LF or NUL). (#5.1.7)\n\0
      """
    And 127.0.0.2 saw 0 connections

  @beyond-classic @per-process
  Scenario: A recipient with a line break is refused in its place; the others are delivered
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test\nDATA, c@example.test"
    Then the reports are:
      """
      r\0
      hSorry, this recipient address has bytes SMTP cannot carry (CR, LF or NUL). (#5.1.3)\n\0
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "a@example.test, c@example.test"
