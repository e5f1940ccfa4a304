@beyond-classic
Feature: CHUNKING (RFC 3030)
  When the server offers CHUNKING the message goes in BDAT chunks: line ends as CRLF, no dot-stuffing,
  about control/chunksizeremote bytes of the message per chunk (32768 by default; 0 means never BDAT), one
  chunk ahead when the server pipelines. The K report says so after the classic text. A message that must be
  recoded (8-bit text for a server without 8BITMIME, a line over 998 bytes) goes after DATA instead, see
  8bitmime.feature.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And the mail exchanger on 127.0.0.2 announces "PIPELINING, CHUNKING, 8BITMIME"

  Scenario: One chunk, no dot-stuffing
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\n.a dot\n"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 22 bytes\nSent with BDAT, chunks: 1.\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\r\n\r\n.a dot\r\n"
    And the client said "BDAT 22 LAST" to 127.0.0.2

  Scenario: Small chunks, pipelined one ahead
    Given the control file "chunksizeremote" contains "8"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\n.a dot\n"
    Then the message report starts with "r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 22 bytes\nSent with BDAT, chunks: 3.\n\0"
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\r\n\r\n.a dot\r\n"
    And the client said "BDAT 4 LAST" to 127.0.0.2

  Scenario: chunksizeremote 0: DATA as before
    Given the control file "chunksizeremote" contains "0"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0"

  Scenario: A refused chunk
    Given the control file "chunksizeremote" contains "8"
    And the mail exchanger on 127.0.0.2 answers BDAT with "552 5.3.4 chunk too big"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      D127.0.0.2 failed on DATA command.\nRemote host said: 552 5.3.4 chunk too big\n\0
      """
    And 127.0.0.2 received no message

  Scenario: The message refused after the last chunk
    Given the mail exchanger on 127.0.0.2 answers MESSAGE with "554 5.7.1 no thanks"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "r\0D127.0.0.2 failed after I sent the message.\nRemote host said: 554 5.7.1 no thanks\n\0"

  Scenario: The server hangs up after the last chunk: possibly delivered
    Given the mail exchanger on 127.0.0.2 closes the connection at MESSAGE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "r\0ZConnected to 127.0.0.2 but connection died. Possible duplicate! (#4.4.2)\n\0"

  Scenario: A partial final line bounces with BDAT too, and nothing is delivered
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nno line break"
    Then the report is "r\0DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n\0"
    And 127.0.0.2 received no message
