@beyond-classic
Feature: SIZE (RFC 1870) and BODY=8BITMIME (RFC 6152)
  When the server announces SIZE and the message is a file (as qmail-rspawn gives it), MAIL FROM carries
  its size; a message larger than the server's limit is refused before anything is sent.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: The size goes with MAIL FROM
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, SIZE 1000000"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the client said "MAIL FROM:<alice@sender.test> SIZE=67" to 127.0.0.2

  Scenario: Too large for the server: a bounce, without sending the message
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, SIZE 50"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, 127.0.0.2 takes no message this large: 67 bytes, 127.0.0.2 takes 50. (#5.3.4)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: A server that announces SIZE without a limit gets the size
    Given the mail exchanger on 127.0.0.2 announces "SIZE"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client said "MAIL FROM:<alice@sender.test> SIZE=67" to 127.0.0.2

  Scenario: No SIZE announced, no SIZE sent (the classic envelope)
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2

  Scenario: 8-bit data is announced with BODY=8BITMIME where the server offers it
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: caf\xe9\n\nd\xe9j\xe0 vu\n"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the client said "MAIL FROM:<alice@sender.test> BODY=8BITMIME" to 127.0.0.2
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: caf\xe9\r\n\r\nd\xe9j\xe0 vu\r\n"

  Scenario: 7-bit data goes without BODY
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2
