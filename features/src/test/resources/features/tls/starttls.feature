@beyond-classic
Feature: STARTTLS and implicit TLS
  TLS is used whenever a server offers STARTTLS (opportunistic, s/qmail's default "*"): any certificate
  is accepted, SNI names the MX host, and after the handshake EHLO is said again with everything learnt
  before forgotten. What happens when TLS does not work depends on control/tlsdestinations.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: Opportunistic STARTTLS, EHLO again inside TLS
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the session with 127.0.0.2 was encrypted with SNI "mx1.example.test"
    And the client said to 127.0.0.2:
      """
      EHLO sender.test\r\n
      STARTTLS\r\n
      EHLO sender.test\r\n
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

  Scenario: Opportunistic TLS takes any certificate
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "someone.else"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: No STARTTLS offered: plaintext, with the classic report
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the sessions with 127.0.0.2 were: "plaintext"

  Scenario: STARTTLS refused: opportunistic delivery goes on in plaintext
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 answers STARTTLS with "454 4.7.0 TLS not available due to local problem"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: The handshake fails: plaintext on a new connection, and the report says so (RFC 7435)
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 closes the connection at TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nSTARTTLS failed, so the message went without TLS (RFC 7435).\n\0
      """
    And the sessions with 127.0.0.2 were: "plaintext, plaintext"

  Scenario: A handshake that stalls keeps at most half the time left: the plaintext retry still gets its turn
    Given the control file "timeoutdelivery" contains "4"
    And the control file "timeoutremote" contains "60"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 waits 20 seconds before answering TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nSTARTTLS failed, so the message went without TLS (RFC 7435).\n\0
      """

  Scenario: The handshake fails and control/tlsfallback says "defer": deferred, as s/qmail does
    Given the control file "tlsfallback" contains "defer"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 closes the connection at TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZI wasn't able to establish a TLS connection with: mx1.example.test for example.test. (#4.7.5)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: control/tlsfallback that says neither: the message is deferred, naming the file
    Given the control file "tlsfallback" contains "maybe"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: tlsfallback line 1: neither plaintext nor defer. (#4.3.0)\n\0
      """

  Scenario: The handshake fails where TLS is mandatory: never plaintext
    Given the control file "tlsdestinations" contains "-example.test:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 closes the connection at TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZI wasn't able to establish a TLS connection with: mx1.example.test for example.test. (#4.7.5)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: The handshake fails and "?" allows plaintext: a new connection without TLS
    Given the control file "tlsdestinations" contains "?example.test:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 closes the connection at TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the sessions with 127.0.0.2 were: "plaintext, plaintext"

  Scenario: "!" never says STARTTLS
    Given the control file "tlsdestinations" contains "!example.test:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the sessions with 127.0.0.2 were: "plaintext"

  Scenario: Implicit TLS (SMTPS) on a port written with an "s"
    Given the control file "tlsdestinations" contains "example.test:;s{smtp-port}"
    And the mail exchanger on 127.0.0.2 speaks TLS from the first byte with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the session with 127.0.0.2 was encrypted with SNI "mx1.example.test"

  Scenario: Mandatory TLS and no STARTTLS: this MX is skipped, the next one takes the message
    Given the control file "tlsdestinations" contains "example.test:"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.3
    And the mail exchanger on 127.0.0.3 offers STARTTLS with a certificate for "mx2.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 TLS transmitted message accepted."
    And 127.0.0.2 received no message

  Scenario: Mandatory TLS and STARTTLS refused: deferred, with what the server said
    Given the control file "tlsdestinations" contains "-*:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 answers STARTTLS with "454 4.7.0 TLS not available due to local problem"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZI wasn't able to negotiate a StartTLS connection with: mx1.example.test for example.test. (#4.7.5)\nRemote host said: 454 4.7.0 TLS not available due to local problem\n\0
      """
