@beyond-classic
Feature: SMTPUTF8 (RFC 6531) and internationalised domains
  An address whose local part is UTF-8 beyond ASCII needs a server that offers SMTPUTF8: the envelope then
  goes with the SMTPUTF8 parameter and such local parts unquoted. A server without it cannot take the
  message: a bounce with 5.6.7. An internationalised domain has an ASCII form, its A-labels (RFC 5890): it
  is looked up as A-labels, and said as A-labels in MAIL and RCPT whenever the envelope goes without
  SMTPUTF8. Other 8-bit bytes (not UTF-8) are quoted, as classic qmail does.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "xn--exmple-cua.test" has MX 10 "mx1.example.test"
    And "xn--bcher-kva.test" has MX 10 "mx1.example.test"
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

  Scenario: An internationalised recipient domain goes as A-labels to a server without SMTPUTF8
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "bücher.test" from "alice@sender.example.test" to "bob@bücher.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the client said "MAIL FROM:<alice@sender.example.test>" to 127.0.0.2
    And the client said "RCPT TO:<bob@xn--bcher-kva.test>" to 127.0.0.2

  @per-process
  Scenario: An internationalised sender domain goes as A-labels too
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@bücher.test" to "bob@example.test, carol@bücher.test"
    Then the message report starts with "r\0r\0K127.0.0.2 accepted message."
    And 127.0.0.2 received a message from "alice@xn--bcher-kva.test" to "bob@example.test, carol@xn--bcher-kva.test"

  Scenario: A-labels and no SMTPUTF8 parameter where the server offers it but no local part needs it
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME, SMTPUTF8"
    When qmail-remote delivers to "bücher.test" from "alice@sender.test" to "bob@bücher.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2
    And the client said "RCPT TO:<bob@xn--bcher-kva.test>" to 127.0.0.2

  @per-process
  Scenario: A UTF-8 local part still needs SMTPUTF8, whatever its domain
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "bücher.test" from "alice@sender.test" to "bob@bücher.test, zoë@bücher.test"
    Then the reports are:
      """
      DSorry, 127.0.0.2 does not offer SMTPUTF8, and an address of this message needs it. (#5.6.7)\n\0
      """
    And 127.0.0.2 received no message
