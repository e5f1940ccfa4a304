@beyond-classic
Feature: DANE for SMTP (RFC 7672)
  When the MX and address lookups are DNSSEC-secure, a secure TLSA set at _25._tcp.MX makes TLS
  mandatory for that host. DANE-EE(3) matches the server's certificate and ignores names and dates;
  DANE-TA(2) matches a CA of the chain, whose names and dates then count. A mismatch, a missing STARTTLS or
  a failed TLSA lookup means defer, never plaintext. Validation happens in qmail-remote itself, from the
  trust anchors in control/trustanchors (the bench's test root here).

  Background:
    Given the control file "me" contains "sender.test"
    And DNSSEC signs the zone
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario Outline: DANE-EE, selector <selector>, matching type <matching>
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 <selector> <matching> for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (TLSA validated) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the session with 127.0.0.2 was encrypted with SNI "mx1.example.test"

    Examples:
      | selector | matching |
      | 0        | 0        |
      | 0        | 1        |
      | 0        | 2        |
      | 1        | 0        |
      | 1        | 1        |
      | 1        | 2        |

  Scenario: DANE-EE ignores names and dates
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with an expired certificate for "someone.else"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (TLSA validated) transmitted message accepted."

  Scenario: DANE-TA matches the issuing CA of the chain
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate via an intermediate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 2 0 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (TLSA validated) transmitted message accepted."

  Scenario: DANE-TA checks the name
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate via an intermediate for "other.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 2 0 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZTLSA X.509 cert required but missing from: mx1.example.test for example.test. (#4.7.5)\n\0"

  Scenario: No TLSA record matches: deferred, never plaintext
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZTLSA X.509 cert required but missing from: mx1.example.test for example.test. (#4.7.5)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: A secure TLSA record and no STARTTLS: deferred
    Given "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to negotiate a StartTLS connection with: mx1.example.test for example.test. (#4.7.5)\n\0"
    And 127.0.0.2 received no message

  Scenario: A mismatch at the first MX, a match at the second
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.3
    And the mail exchanger on 127.0.0.3 offers STARTTLS with a certificate for "mx2.example.test"
    And "_25._tcp.mx2.example.test" has a TLSA record 3 1 1 for the certificate of 127.0.0.3
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 TLS (TLSA validated) transmitted message accepted."

  Scenario: The TLSA lookup fails: deferred
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And DNS answers SERVFAIL for "_25._tcp.mx1.example.test" TLSA
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZTLSA lookup failed temporarily for: mx1.example.test for example.test. (#4.4.3)\n\0
      """

  Scenario: Only unusable (PKIX) records: TLS is mandatory, the certificate is not checked
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 1 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: A bogus zone: nothing is trusted, the message is deferred
    Given DNSSEC signs the zone with broken signatures
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0"

  Scenario: An insecure zone: TLSA records do not count
    Given the zone is not signed
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: "/" turns DANE off for a destination
    Given the control file "tlsdestinations" contains "/example.test:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: control/dnssec "off": nothing is authentic, DANE never applies
    Given the control file "dnssec" contains "off"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: control/dnssec "ad": the AD bit of a trusted validating resolver decides
    Given the control file "dnssec" contains "ad"
    And the DNS server sets the AD bit for signed zones, as a validating resolver
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (TLSA validated) transmitted message accepted."

  Scenario: control/dnssec "ad" and a resolver that does not set AD: no DANE
    Given the control file "dnssec" contains "ad"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
