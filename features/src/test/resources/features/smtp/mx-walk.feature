Feature: Walking the mail exchangers
  Addresses are tried in order until one accepts a connection; after that the outcome is final, as in
  classic qmail-remote. Hosts that timed out twice recently are skipped for about an hour, remembered
  in queue/lock/tcpto in the format qmail-tcpto reads.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "timeoutconnect" contains "1"
    And "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.6
    And "mx2.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: A refused connection moves on to the next MX
    Given nothing listens on 127.0.0.6
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: No mail exchanger takes a connection
    Given the control file "smtproutes" contains "example.test:[127.0.0.6]"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0
      """

  Scenario: A connection timeout is remembered
    Given the timeout memory file exists
    And 127.0.0.6 drops connection attempts
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the timeout memory holds 1 timeout for 127.0.0.6

  Scenario: A host that timed out twice recently is skipped
    Given the timeout memory says 127.0.0.2 timed out twice just now
    And the control file "smtproutes" contains "example.test:[127.0.0.2]"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0
      """
    And 127.0.0.2 saw 0 connections

  Scenario: A rejection after connecting does not try the next MX
    Given a mail exchanger listens on 127.0.0.6
    And the mail exchanger on 127.0.0.6 answers MAIL with "550 5.7.1 go away"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DConnected to 127.0.0.6 but sender was rejected.\nRemote host said: 550 5.7.1 go away\n\0
      """
    And 127.0.0.2 saw 0 connections
