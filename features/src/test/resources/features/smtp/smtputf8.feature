@beyond-classic
Feature: SMTPUTF8 (RFC 6531) and internationalised domains
  An address with UTF-8 beyond ASCII needs a server that offers SMTPUTF8: the envelope then goes with the
  SMTPUTF8 parameter and such local parts unquoted. A server without it cannot take the message: a bounce
  with 5.6.7. Internationalised domain names are looked up as A-labels. Other 8-bit bytes (not UTF-8) are
  quoted, as classic qmail does.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "xn--exmple-cua.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: A UTF-8 sender and an internationalised domain, to a server with SMTPUTF8
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME, SMTPUTF8"
    When qmail-remote delivers to "exämple.test" from "jörg@sender.test" to "bob@exämple.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the client said "MAIL FROM:<jörg@sender.test> SMTPUTF8" to 127.0.0.2
    And 127.0.0.2 received a message from "jörg@sender.test" to "bob@exämple.test"

  Scenario: A server without SMTPUTF8 cannot take it
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "zoë@example.test"
    Then the reports are:
      """
      DSorry, 127.0.0.2 does not offer SMTPUTF8, and an address of this message needs it. (#5.6.7)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: ASCII addresses need no SMTPUTF8, even where the server offers it
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, SMTPUTF8"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2
