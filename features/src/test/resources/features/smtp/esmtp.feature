@beyond-classic
Feature: EHLO, HELO and PIPELINING
  qmail-remote says EHLO and falls back to HELO when the server does not take it. It pipelines MAIL
  and RCPT when the server offers PIPELINING (RFC 2920), and waits for each reply otherwise. The report
  bytes stay those of classic qmail-remote.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  @per-process
  Scenario: helohost names us in EHLO, and the envelope is pipelined
    Given the control file "helohost" contains "relay.sender.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test, carol@example.test"
    Then the reports are:
      """
      r\0
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the client pipelined its envelope to 127.0.0.2
    And the client said to 127.0.0.2:
      """
      EHLO relay.sender.test\r\n
      MAIL FROM:<alice@sender.test>\r\n
      RCPT TO:<bob@example.test>\r\n
      RCPT TO:<carol@example.test>\r\n
      DATA\r\n
      From: alice@sender.test\r\n
      To: bob@example.test\r\n
      Subject: test\r\n
      \r\n
      Hello.\r\n
      .\r\n
      QUIT\r\n
      """

  Scenario: Without PIPELINING each command waits for its reply
    Given the mail exchanger on 127.0.0.2 announces "8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test"

  Scenario: A server that only knows HELO
    Given the mail exchanger on 127.0.0.2 only knows HELO
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the client said to 127.0.0.2:
      """
      EHLO sender.test\r\n
      HELO sender.test\r\n
      MAIL FROM:<alice@sender.test>\r\n
      RCPT TO:<bob@example.test>\r\n
      DATA\r\n
      From: alice@sender.test\r\n
      To: bob@example.test\r\n
      Subject: test\r\n
      \r\n
      Hello.\r\n
      .\r\n
      QUIT\r\n
      """
