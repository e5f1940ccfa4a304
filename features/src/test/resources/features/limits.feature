@beyond-classic
Feature: LIMITS (RFC 9422): recipients split into transactions, transactions split into sessions
  A server may announce after EHLO how many recipients it takes in one transaction (RCPTMAX), from how
  many domains (RCPTDOMAINMAX), and how many transactions it takes in one session (MAILMAX). qmail-remote
  sends the recipients in argument order, in as many transactions as the limits ask, one after another on
  one session (no RSET after a transaction whose dot was answered), and beyond MAILMAX on a new connection.
  Each recipient keeps its report in its own place. One message report speaks for all of them: K when any
  transaction delivered, and then a recipient whose own transaction did not deliver is deferred (s) or
  refused (h) with what ended it, never reported as taken. The fake MX refuses what goes beyond its limits
  with 452 4.5.3, as real servers do.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  @per-process
  Scenario: RCPTMAX=2 and five recipients: three transactions on one session, no RSET, one K
    Given the mail exchanger on 127.0.0.2 follows the script "limits MAILMAX=10 RCPTMAX=2"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test, d@example.test, e@example.test"
    Then the reports are:
      """
      r\0
      r\0
      r\0
      r\0
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 3 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """
    And 127.0.0.2 received the messages to "a@example.test, b@example.test | c@example.test, d@example.test | e@example.test"
    And 127.0.0.2 saw 1 connection
    And the client did not say "RSET" to 127.0.0.2

  @per-process
  Scenario: Limits that are unknown or not numbers are ignored: one transaction
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=two RCPTMAX=0 FOO=1 MAILMAX"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the message report starts with "r\0r\0r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0"
    And 127.0.0.2 received the messages to "a@example.test, b@example.test, c@example.test"

  @per-process
  Scenario: The second transaction's message is refused for now: its recipients are deferred, the others delivered
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=2 ; on MESSAGE #2 reply 451 4.3.0 try again later"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test, d@example.test, e@example.test"
    Then the reports are:
      """
      r\0
      r\0
      s127.0.0.2 failed after I sent the message.\nRemote host said: 451 4.3.0 try again later\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      s127.0.0.2 failed after I sent the message.\nRemote host said: 451 4.3.0 try again later\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 3 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """
    And 127.0.0.2 received the messages to "a@example.test, b@example.test | e@example.test"

  @per-process
  Scenario: The second transaction's message is refused for good: its recipients bounce, the others are delivered
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=2 ; on MESSAGE #2 reply 554 5.7.1 not from you"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the reports are:
      """
      r\0
      r\0
      h127.0.0.2 failed after I sent the message.\nRemote host said: 554 5.7.1 not from you\nThis recipient's transaction was refused for good (LIMITS, RFC 9422, split the recipients).\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 2 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """

  @per-process
  Scenario: No transaction delivered: the first temporary failure is the message report, nothing claims delivery
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MESSAGE #1 reply 554 5.7.1 no ; on MESSAGE #2 reply 451 4.3.0 later"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      r\0
      r\0
      Z127.0.0.2 failed after I sent the message.\nRemote host said: 451 4.3.0 later\n\0
      """

  @per-process
  Scenario: A transaction whose recipients were all refused is reset before the next
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on RCPT ~a@ reply 550 5.1.1 no such user"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 2 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """
    And the client said "RSET" to 127.0.0.2
    And 127.0.0.2 received the messages to "b@example.test"

  @per-process
  Scenario: The connection is lost in the second transaction: the first stands, the rest is deferred
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MAIL #2 close"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the reports are:
      """
      r\0
      sConnected to 127.0.0.2 but connection died. (#4.4.2)\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      sConnected to 127.0.0.2 but connection died. (#4.4.2)\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 3 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """
    And 127.0.0.2 received the messages to "a@example.test"

  @per-process
  Scenario: The connection is lost at the second transaction's dot: only its recipient may be a duplicate, the one never sent is deferred
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MESSAGE #2 close"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the reports are:
      """
      r\0
      sConnected to 127.0.0.2 but connection died. Possible duplicate! (#4.4.2)\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      sConnected to 127.0.0.2 but connection died. (#4.4.2)\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 3 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """

  @per-process
  Scenario: A reply too many after the first transaction's dot: no K stands, everything is deferred as for one transaction
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=2 ; on MESSAGE #1 standard then raw 250 2.0.0 extra\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it sent a reply before I sent MAIL, or one that fits no command: its replies were out of step, and the one taken for a message's may answer another command. Possible duplicate! (#4.4.2)\nRemote host said: 250 2.0.0 extra\n\0
      """
    And the client did not say "RCPT TO:<c@example.test>" to 127.0.0.2

  @per-process
  Scenario: A sender refused in a later transaction is deferred there, never bounced
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MAIL #2 reply 550 5.7.1 enough from you"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      r\0
      sConnected to 127.0.0.2 but sender was rejected.\nRemote host said: 550 5.7.1 enough from you\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 2 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """

  @per-process
  Scenario: A later transaction's refused sender is witnessed by QUIT: an answer out of step leaves no K standing
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; limits RCPTMAX=1 ; on MAIL #2 reply 554 5.7.1 message refused ; on QUIT reply 250 2.1.0 ok"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\nRemote host said: 250 2.1.0 ok\n\0
      """

  @per-process
  Scenario: With BDAT, a hang-up at a later transaction's MAIL leaves no K standing: every answer was 250, the stream may be one behind
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; limits RCPTMAX=1 ; on MAIL #2 close"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\n\0
      """

  @per-process
  Scenario: A sender refused in the first transaction bounces only when QUIT's answer shows the replies in step
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MAIL #1 reply 550 5.7.1 no ; on QUIT reply 250 2.1.0 ok"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\nRemote host said: 250 2.1.0 ok\n\0
      """

  @per-process
  Scenario: A 421 to the first transaction's MAIL tries the next address, as for one transaction
    Given "example.test" has MX 20 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 follows the script "limits RCPTMAX=1 ; on MAIL #1 reply-close 421 4.3.2 closing"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      r\0
      r\0
      K127.0.0.3 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  @per-process
  Scenario: RCPTDOMAINMAX=1: a new transaction where the recipients' domain changes
    Given the mail exchanger on 127.0.0.2 follows the script "limits RCPTDOMAINMAX=1"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@Example.test, c@other.test"
    Then the message report starts with "r\0r\0r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 2 transactions"
    And 127.0.0.2 received the messages to "a@example.test, b@Example.test | c@other.test"

  @per-process
  Scenario: MAILMAX=2: the third transaction goes over a new connection
    Given the mail exchanger on 127.0.0.2 follows the script "limits MAILMAX=2 RCPTMAX=1"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test, c@example.test"
    Then the message report starts with "r\0r\0r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 3 transactions"
    And 127.0.0.2 received the messages to "a@example.test | b@example.test | c@example.test"
    And 127.0.0.2 saw 2 connections

  @per-process
  Scenario: MAILMAX reached and the new connection refused: what was delivered stands, the rest is deferred
    Given the mail exchanger on 127.0.0.2 follows the script "limits MAILMAX=1 RCPTMAX=1 ; on GREETING #2 reply-close 421 4.3.2 too busy"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "a@example.test, b@example.test"
    Then the reports are:
      """
      r\0
      sConnected to 127.0.0.2 but greeting failed.\nRemote host said: 421 4.3.2 too busy\nThis recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nRecipients split into 2 transactions, as the server's LIMITS asked (RFC 9422).\n\0
      """
    And 127.0.0.2 saw 2 connections
    And 127.0.0.2 received the messages to "a@example.test"

  Scenario: MAILMAX counts the transactions of a kept session: the resident qmail-rspawn opens a new one beyond it
    Given the control file "reuseidle" contains "5"
    And the mail exchanger on 127.0.0.2 follows the script "limits MAILMAX=2"
    When qmail-rspawn delivers 3 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok"
    And 127.0.0.2 saw 2 connections
    And 127.0.0.2 received 3 messages
