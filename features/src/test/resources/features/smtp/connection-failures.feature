Feature: A connection that fails half-way
  Once connected, a broken connection is a temporary failure. After the final dot has been sent the
  server may already have taken the message, so the report warns of a possible duplicate.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "timeoutremote" contains "2"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: The server hangs up after MAIL
    Given the mail exchanger on 127.0.0.2 closes the connection at MAIL
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but connection died. (#4.4.2)\n\0
      """

  Scenario: The server hangs up after the recipients, which were already reported
    Given the mail exchanger on 127.0.0.2 closes the connection at DATA
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but connection died. (#4.4.2)\n\0
      """

  Scenario: The server hangs up after the final dot
    Given the mail exchanger on 127.0.0.2 closes the connection at MESSAGE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but connection died. Possible duplicate! (#4.4.2)\n\0
      """

  Scenario: The reply to the final dot comes after timeoutremote, but the server did take the message
    Given the mail exchanger on 127.0.0.2 waits 4 seconds before answering MESSAGE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but connection died. Possible duplicate! (#4.4.2)\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test"

  @beyond-classic @per-process
  Scenario: TERM to the JVM before the message was taken defers it, with a report, and exit status 0
    Classic qmail-remote dies of a TERM, and qmail-rspawn reports "qmail-remote crashed"; a JVM would exit
    143, which the launcher turns into 111 ("Unable to run qmail-remote") and the delivery's own report is
    lost. Here the JVM cancels the delivery (its sockets close at once) and says so.
    Given the control file "timeoutremote" contains "60"
    And the mail exchanger on 127.0.0.2 waits 30 seconds before answering MAIL
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" and its JVM is sent TERM after 3000 ms
    Then the reports are:
      """
      ZSorry, the delivery was cancelled before a mail exchanger took the message. (#4.3.0)\n\0
      """
    And qmail-remote ended within 10 seconds

  @beyond-classic @per-process
  Scenario: TERM to the JVM after the final dot keeps "Possible duplicate"
    Given the control file "timeoutremote" contains "60"
    And the mail exchanger on 127.0.0.2 follows the script "on MESSAGE delay 30000 close"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" and its JVM is sent TERM after 3000 ms
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but connection died. Possible duplicate! (#4.4.2)\n\0
      """
    And qmail-remote ended within 10 seconds

  Scenario: A silent server before the data is a plain connection death
    Given the mail exchanger on 127.0.0.2 waits 4 seconds before answering RCPT
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but connection died. (#4.4.2)\n\0
      """

  Scenario: 421 during the transaction defers the message
    Given the mail exchanger on 127.0.0.2 answers DATA with "421 4.3.2 shutting down"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      Z127.0.0.2 failed on DATA command.\nRemote host said: 421 4.3.2 shutting down\n\0
      """

  Scenario: A greeting of 421 is a failed greeting, not a reason to try elsewhere
    Given the mail exchanger on 127.0.0.2 answers GREETING with "421 4.3.2 too busy"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but greeting failed.\nRemote host said: 421 4.3.2 too busy\n\0
      """
