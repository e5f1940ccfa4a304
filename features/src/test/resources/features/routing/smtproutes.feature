Feature: Artificial routes in control/smtproutes
  The whole host is looked up first, then each suffix starting at a dot, then the empty key. The first
  key found decides. An empty relay means "use MX"; a port after the relay replaces the default. Keys
  are case-insensitive, lines without a colon are ignored, and when a key appears twice the later line
  wins. A relay is used as if it were the only MX, so the best-MX loop check does not apply.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "smtproutes" contains:
      """
      # comment lines and lines without a colon are ignored
      not a route
      :fallback.test
      .example.test:
      example.test:r1.test:{smtp-port}
      example.test:r2.test
      """
    And "fallback.test" has address 127.0.0.4
    And "r1.test" has address 127.0.0.5
    And "r2.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And a mail exchanger listens on 127.0.0.4
    And a mail exchanger listens on 127.0.0.5

  Scenario: The later of two lines for the same key wins
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.5 saw 0 connections

  Scenario: Keys are compared without regard to case
    When qmail-remote delivers to "EXAMPLE.Test" from "alice@sender.test" to "bob@EXAMPLE.Test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."

  Scenario: An empty relay for a suffix means MX
    Given "a.example.test" has MX 10 "mx.a.example.test"
    And "mx.a.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    When qmail-remote delivers to "a.example.test" from "alice@sender.test" to "bob@a.example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: Any other host goes to the default route
    When qmail-remote delivers to "other.test" from "alice@sender.test" to "bob@other.test"
    Then the message report starts with "r\0K127.0.0.4 accepted message."
    And the DNS was never asked for MX records

  Scenario: A relay given as an address literal, with a port
    Given the control file "smtproutes" contains "literal.test:[127.0.0.5]:{smtp-port}"
    When qmail-remote delivers to "literal.test" from "alice@sender.test" to "bob@literal.test"
    Then the message report starts with "r\0K127.0.0.5 accepted message."

  Scenario: A relay that does not exist
    Given the control file "smtproutes" contains "example.test:no-such-relay.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, I couldn't find any host named no-such-relay.test. (#5.1.2)\n\0
      """

  Scenario: A route to ourselves is not a loop: the relay is simply tried
    Given the control file "smtproutes" contains "example.test:[127.0.0.1]"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0
      """

  @beyond-classic
  Scenario: A port that is not a number is a configuration error, not a guess
    Given the control file "smtproutes" contains "example.test:r2.test:smtp"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: smtproutes: the route for example.test has no valid port. (#4.3.0)\n\0
      """
