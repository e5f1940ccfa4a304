@beyond-classic
Feature: SMTP session reuse in the resident qmail-rspawn
  The resident qmail-rspawn keeps an SMTP session open after a delivery and uses it again for the next
  delivery to the same address. After the dot's 250 it says EHLO again instead of QUIT, and keeps the session
  only when the answer is the one EHLO had; that EHLO reset the session (RFC 5321 4.1.4), so the next
  delivery begins with MAIL FROM, no RSET. A kept session that fails before the message
  went (closed by the server, a refusal), or whose message is refused at the dot, never reports: the
  delivery goes over a new connection.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: Deliveries one after another to one mail exchanger share one connection
    When qmail-rspawn delivers 3 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok"
    And 127.0.0.2 saw 1 connection
    And 127.0.0.2 received 3 messages
    And the client did not say "RSET" to 127.0.0.2

  Scenario: control/reuseidle 0 turns reuse off
    Given the control file "reuseidle" contains "0"
    When qmail-rspawn delivers 3 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message."
    And 127.0.0.2 saw 3 connections
    And the client did not say "RSET" to 127.0.0.2

  Scenario: A kept session the server ends at MAIL FROM: the delivery goes over a new connection
    Given the mail exchanger on 127.0.0.2 follows the script "on MAIL #2 reply-close 421 4.4.2 idle too long"
    When qmail-rspawn delivers 2 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message."
    And 127.0.0.2 saw 2 connections
    And 127.0.0.2 received 2 messages

  Scenario: A sender refused on a kept session never bounces: the new connection decides
    Given the mail exchanger on 127.0.0.2 follows the script "on MAIL #2 reply 530 5.7.0 authentication required"
    When qmail-rspawn delivers 2 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message."
    And 127.0.0.2 saw 2 connections
    And 127.0.0.2 received 2 messages

  Scenario: A reply too many after the dot: the EHLO witness and QUIT show it, no K, the session is not kept
    Given the mail exchanger on 127.0.0.2 follows the script "on MESSAGE #1 standard then raw 250 2.0.0 and again\r\n"
    When qmail-rspawn delivers 2 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "ZConnected to 127.0.0.2 but it answered QUIT with something other than 221"
    And 127.0.0.2 saw 2 connections

  Scenario: A message refused at the dot of a kept session goes again over a new connection
    Given the mail exchanger on 127.0.0.2 follows the script "on MESSAGE #2 reply 554 5.7.0 too many messages in this session"
    When qmail-rspawn delivers 2 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "K127.0.0.2 accepted message."
    And 127.0.0.2 saw 2 connections
    And 127.0.0.2 received 2 messages

  Scenario: The same refusal on a new connection is final
    Given the mail exchanger on 127.0.0.2 follows the script "on MESSAGE reply 554 5.7.1 no thanks"
    When qmail-rspawn delivers 2 messages from "alice@sender.test" to "bob@example.test" one after another
    Then qmail-rspawn answered each delivery with "D127.0.0.2 failed after I sent the message.\nRemote host said: 554 5.7.1 no thanks"
    And 127.0.0.2 saw 2 connections
