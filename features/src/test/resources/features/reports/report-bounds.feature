Feature: No report grows with what it is given
  Every piece of a report that comes from the arguments, a control file or DNS is capped: a host, MX or
  relay name at 255 bytes (a DNS name has at most 253), a detail at 200, what a server said at 5000; a cut
  piece ends with "...". So no report is longer than 6144 bytes, letter and NUL included.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  @beyond-classic
  Scenario: A 100 KB host name
    When qmail-remote delivers to "{x * 100000}.test" from "alice@sender.test" to "bob@{x * 100000}.test"
    Then the reports are:
      """
      DSorry, I couldn't find any host named {x * 255}.... (#5.1.2)\n\0
      """
    And the message report is at most 6144 bytes
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario: A 100 KB relay name in smtproutes
    Given the control file "smtproutes" contains "example.test:{r * 100000}.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, I couldn't find any host named {r * 255}.... (#5.1.2)\n\0
      """
    And the message report is at most 6144 bytes
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario: A 100 KB host name in a control-file report
    Given the control file "smtproutes" contains ":relay.test:0"
    When qmail-remote delivers to "{x * 100000}.test" from "alice@sender.test" to "bob@{x * 100000}.test"
    Then the reports are:
      """
      ZUnable to read control files: smtproutes: the route for {x * 174}.... (#4.3.0)\n\0
      """
    And the message report is at most 6144 bytes
