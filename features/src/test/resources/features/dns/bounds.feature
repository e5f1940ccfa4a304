@beyond-classic
Feature: Nothing in a delivery runs unbounded
  What is taken from DNS is capped: at most 10 MX hosts (the best by preference, ties shuffled), 8
  addresses of each, 20 in all, 100 records from one answer. Everything before the message transfer (every
  DNS question, the walk over addresses) ends by control/timeoutdelivery (seconds, default 300): each DNS
  question and each connection waits at most the time left, and none is begun after it. A delivery that
  runs out of time before a mail exchanger took it is deferred.

  Background:
    Given the control file "me" contains "sender.test"
    And a mail exchanger listens on 127.0.0.2

  Scenario: Two hundred MX hosts whose address questions go unanswered
    Given the control file "timeoutdelivery" contains "3"
    And the control file "timeoutdns" contains "30"
    And "example.test" has 200 MX hosts whose address questions go unanswered
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, the delivery ran out of time (control/timeoutdelivery, 3 seconds) before a mail exchanger took it. (#4.4.7)\n\0
      """
    And qmail-remote ended within 30 seconds

  Scenario: No connection waits past the deadline, and none is begun after it
    Given the control file "timeoutdelivery" contains "2"
    And the timeout memory file exists
    And "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.6
    And "mx2.example.test" has address 127.0.0.2
    And 127.0.0.6 drops connection attempts
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, the delivery ran out of time (control/timeoutdelivery, 2 seconds) before a mail exchanger took it. (#4.4.7)\n\0
      """
    And 127.0.0.2 saw 0 connections
    And the timeout memory holds 0 timeouts for 127.0.0.6
    And qmail-remote ended within 30 seconds

  Scenario: A server that stalls the dialogue before DATA is left at the deadline, not after timeoutremote
    Given the control file "timeoutdelivery" contains "2"
    And the control file "timeoutremote" contains "60"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And the mail exchanger on 127.0.0.2 waits 6 seconds before answering EHLO
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, the delivery ran out of time (control/timeoutdelivery, 2 seconds) before a mail exchanger took it. (#4.4.7)\n\0
      """
    And qmail-remote ended within 5 seconds

  Scenario: A server that never greets keeps at most half the time left: the next address still gets its turn
    Given the control file "timeoutdelivery" contains "4"
    And the control file "timeoutremote" contains "60"
    And "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 waits 20 seconds before answering GREETING
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And qmail-remote ended within 10 seconds

  Scenario: The message transfer is bounded by timeoutremote, not by the deadline
    Given the control file "timeoutdelivery" contains "1"
    And the control file "timeoutremote" contains "10"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And the mail exchanger on 127.0.0.2 waits 3 seconds before answering MESSAGE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: A delivery within its deadline is not touched by it
    Given the control file "timeoutdelivery" contains "30"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  @own-launcher
  Scenario: Thousands of MX hosts with thousands of addresses each, in a small heap
    Given the JVM of qmail-remote may use at most 64 MiB of heap
    And "example.test" has MX 5 "mx0.example.test"
    And "mx0.example.test" has address 127.0.0.2
    And "example.test" has 2500 MX hosts, each an alias of "pool.example.test"
    And "pool.example.test" has 3500 addresses where nothing listens
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the DNS was asked at most 20 questions
