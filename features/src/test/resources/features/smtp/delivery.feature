Feature: Delivering a message over SMTP
  qmail-remote connects to the best mail exchanger, speaks SMTP, and prints one report per recipient
  and then one message report, each ending in a NUL byte, exactly as classic qmail-remote does.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: One recipient, accepted
    Given the mail exchanger on 127.0.0.2 answers MESSAGE with "250 ok 1700000000 qp 42"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 ok 1700000000 qp 42\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "From: alice@sender.test\r\nTo: bob@example.test\r\nSubject: test\r\n\r\nHello.\r\n"

  @per-process
  Scenario: Recipient reports follow the order of the arguments
    Given the mail exchanger on 127.0.0.2 answers RCPT for "full@" with "452 4.2.2 mailbox full"
    And the mail exchanger on 127.0.0.2 answers RCPT for "gone@" with "550 5.1.1 no such user"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "full@example.test, bob@example.test, gone@example.test"
    Then the reports are:
      """
      s127.0.0.2 does not like recipient.\nRemote host said: 452 4.2.2 mailbox full\n\0
      r\0
      h127.0.0.2 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test"

  Scenario: A multi-line rejection is quoted line by line
    Given the mail exchanger on 127.0.0.2 answers RCPT with:
      """
      550-5.1.1 a
      550 5.1.1 b
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 550-5.1.1 a\n550 5.1.1 b\n\0
      DGiving up on 127.0.0.2.\n\0
      """
    And 127.0.0.2 received no message

  @per-process
  Scenario: Every recipient refused
    Given the mail exchanger on 127.0.0.2 answers RCPT with "553 sorry, that domain isn't in my list of allowed rcpthosts"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts\n\0
      h127.0.0.2 does not like recipient.\nRemote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts\n\0
      DGiving up on 127.0.0.2.\n\0
      """

  Scenario: Greeting refused
    Given the mail exchanger on 127.0.0.2 answers GREETING with "554 5.7.1 no mail from you"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but greeting failed.\nRemote host said: 554 5.7.1 no mail from you\n\0
      """

  Scenario: Name rejected by a server that only knows HELO
    Given the mail exchanger on 127.0.0.2 only knows HELO
    And the mail exchanger on 127.0.0.2 answers HELO with "550 5.7.1 who are you"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but my name was rejected.\nRemote host said: 550 5.7.1 who are you\n\0
      """

  Scenario: Sender rejected permanently
    Given the mail exchanger on 127.0.0.2 answers MAIL with "553 5.1.8 sender domain does not exist"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DConnected to 127.0.0.2 but sender was rejected.\nRemote host said: 553 5.1.8 sender domain does not exist\n\0
      """

  Scenario: Sender rejected temporarily
    Given the mail exchanger on 127.0.0.2 answers MAIL with "451 4.7.1 greylisted, try again later"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but sender was rejected.\nRemote host said: 451 4.7.1 greylisted, try again later\n\0
      """

  Scenario: DATA refused permanently
    Given the mail exchanger on 127.0.0.2 answers DATA with "554 5.5.1 no valid recipients"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      D127.0.0.2 failed on DATA command.\nRemote host said: 554 5.5.1 no valid recipients\n\0
      """

  Scenario: DATA refused temporarily
    Given the mail exchanger on 127.0.0.2 answers DATA with "451 4.3.0 queue full"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      Z127.0.0.2 failed on DATA command.\nRemote host said: 451 4.3.0 queue full\n\0
      """

  Scenario: Message refused permanently after the data
    Given the mail exchanger on 127.0.0.2 answers MESSAGE with "554 5.7.1 message content rejected"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      D127.0.0.2 failed after I sent the message.\nRemote host said: 554 5.7.1 message content rejected\n\0
      """

  Scenario: Message refused temporarily after the data
    Given the mail exchanger on 127.0.0.2 answers MESSAGE with "451 4.3.0 try again later"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      Z127.0.0.2 failed after I sent the message.\nRemote host said: 451 4.3.0 try again later\n\0
      """
