@beyond-classic
Feature: TLS-Required: No (RFC 8689 section 5), and which policy wins
  A message whose header says "TLS-Required: No" goes even where the recipient's MTA-STS policy or DANE
  would refuse the server: TLS when it can be had, any certificate, plaintext after a failure. The report says
  what was not enforced. control/tlsrequired "ignore" turns that off. DANE wins over MTA-STS where it
  applies (RFC 8461 2).

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "1"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """

  Scenario: An MX the policy does not list, with a certificate for another name: delivered all the same
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      From: alice@sender.test
      To: bob@example.test
      TLS-Required: No
      Subject: password reset

      Hello.
      """
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS transmitted message accepted.\nRemote host said: 250 2.0.0 ok 100 bytes\nTLS-Required: No in the message: the MTA-STS policy of example.test not enforced (RFC 8689).\n\0
      """

  Scenario: Field name and value in any case, folded
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      From: alice@sender.test
      tls-required:
        no
      Subject: password reset

      Hello.
      """
    Then the reports end with "TLS-Required: No in the message: the MTA-STS policy of example.test not enforced (RFC 8689).\n\0"

  Scenario: The field in the body counts for nothing
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      From: alice@sender.test
      Subject: password reset

      TLS-Required: No
      """
    Then the report is "ZMTA-STS policy of example.test does not list the MX host mx1.example.test. (#4.7.5)\n\0"

  Scenario Outline: The header ends at the first line that is no field, and two TLS-Required fields are no request
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      <first>
      <second>
      TLS-Required: No

      Hello.
      """
    Then the report is "ZMTA-STS policy of example.test does not list the MX host mx1.example.test. (#4.7.5)\n\0"
    And 127.0.0.2 saw 0 connections

    Examples:
      | first                          | second            |
      | From alice@sender.test Mon Dec | Subject: a        |
      | Subject: a                     | a line, no field  |
      | Subject: a                     | TLS-Required: Yes |

  Scenario: control/tlsrequired "ignore": the policy holds
    Given the control file "tlsrequired" contains "ignore"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      From: alice@sender.test
      TLS-Required: No

      Hello.
      """
    Then the report is "ZMTA-STS policy of example.test does not list the MX host mx1.example.test. (#4.7.5)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: DANE would refuse the server: delivered, and the report says DANE was not enforced
    Given DNSSEC signs the zone
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message:
      """
      From: alice@sender.test
      TLS-Required: No

      Hello.
      """
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the reports end with "TLS-Required: No in the message: DANE for mx1.example.test not enforced (RFC 8689).\n\0"

  Scenario: DANE wins over MTA-STS where it applies
    Given DNSSEC signs the zone
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (TLSA validated) transmitted message accepted."
    And the reports do not contain "MTA-STS"
