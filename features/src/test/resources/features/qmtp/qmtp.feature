@beyond-classic
Feature: QMTP through control/qmtproutes
  s/qmail's qmtproutes ("domain:relay[;port]", as smtproutes, after authsenders and before smtproutes)
  sends mail with QMTP: the message as it is (LF line ends, no dot-stuffing), the sender, the recipients,
  then one reply per recipient. Port 6209 means QMTPS. Replies map to the classic r/h/s reports.

  Background:
    Given the control file "me" contains "sender.test"
    And "qmtp.test" has address 127.0.0.5
    And a QMTP server listens on 127.0.0.5

  @per-process
  Scenario: One package, one reply per recipient
    Given the control file "qmtproutes" contains "example.test:qmtp.test;{qmtp-port}"
    And the QMTP server on 127.0.0.5 answers recipients containing "gone@" with "Dno such user (#5.1.1)"
    And the QMTP server on 127.0.0.5 answers recipients containing "full@" with "Zmailbox full (#4.2.2)"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test, gone@example.test, full@example.test" the bytes "Subject: x\n\n.a dot\n"
    Then the reports are:
      """
      r\0
      h127.0.0.5 does not like recipient.\nRemote host said: no such user (#5.1.1)\n\0
      s127.0.0.5 does not like recipient.\nRemote host said: mailbox full (#4.2.2)\n\0
      KAll received okay by 127.0.0.5.\nRemote host said: ok 19 bytes\n\0
      """
    And 127.0.0.5 received by QMTP a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\n\n.a dot\n"

  Scenario: Every recipient refused
    Given the control file "qmtproutes" contains "example.test:qmtp.test;{qmtp-port}"
    And the QMTP server on 127.0.0.5 answers recipients containing "@" with "Dgo away"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.5 does not like recipient.\nRemote host said: go away\n\0
      DGiving up on 127.0.0.5.\n\0
      """

  Scenario: qmtproutes comes before smtproutes, bounces too
    Given the control file "smtproutes" contains ":[127.0.0.2]"
    And the control file "qmtproutes" contains "!@:qmtp.test;{qmtp-port}"
    When qmail-remote delivers to "example.test" from "" to "bob@example.test"
    Then the message report starts with "r\0KAll received okay by 127.0.0.5."

  Scenario: The server hangs up after the package: possibly delivered
    Given the control file "qmtproutes" contains "example.test:qmtp.test;{qmtp-port}"
    And the QMTP server on 127.0.0.5 closes before any reply
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.5 but connection died. Possible duplicate! (#4.4.2)\n\0"

  @per-process
  Scenario: The server hangs up after the first reply
    Given the control file "qmtproutes" contains "example.test:qmtp.test;{qmtp-port}"
    And the QMTP server on 127.0.0.5 closes after the first reply
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.5 but connection died. Possible duplicate! (#4.4.2)\n\0
      """

  Scenario: A server that does not talk QMTP
    Given the control file "qmtproutes" contains "example.test:qmtp.test;{qmtp-port}"
    And the QMTP server on 127.0.0.5 answers with garbage
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZRecipient 127.0.0.5 did not talk proper QMTP. (#4.3.0)\n\0"

  Scenario: Nobody listens
    Given the control file "qmtproutes" contains "example.test:[127.0.0.6];{qmtp-port}"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZSorry, I wasn't able to establish an QMTP connection. (#4.4.1)\n\0"

  Scenario: QMTPS, TLS from the first byte ("s" port)
    Given the control file "qmtproutes" contains "example.test:qmtp.test;s{qmtp-port}"
    And the QMTP server on 127.0.0.5 speaks TLS with a certificate for "qmtp.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0KAll received okay by 127.0.0.5."
    And 127.0.0.5 received by QMTPS a message
