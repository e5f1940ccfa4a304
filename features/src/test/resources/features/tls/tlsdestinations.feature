@beyond-classic
Feature: Certificate checks from control/tlsdestinations
  A destination named in tlsdestinations needs TLS; a CA file makes the chain count, "~" and "=" the name
  too (with and without wildcards), "%host:=fingerprint" pins the certificate by SHA-1, SHA-224, SHA-256
  or SHA-512 (chosen by length). Each K report says what was verified, in s/qmail's words. A certificate
  that fails the check means this MX is not used.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: Verified against a CA file
    Given the control file "tlsdestinations" contains "example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (verfied CA) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: A chain through an intermediate verifies too
    Given the control file "tlsdestinations" contains "example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate via an intermediate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verfied CA) transmitted message accepted."

  Scenario: A CA directory (a path ending in "/"): every certificate file in it counts
    Given the control file "cadir/bench-ca.pem" holds the bench CA
    And the control file "cadir/README" contains "not a certificate"
    And the control file "tlsdestinations" contains "example.test:{qmail-home}/control/cadir/"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verfied CA) transmitted message accepted."

  Scenario: A chain deeper than the verification depth
    Given the control file "tlsdestinations" contains "example.test:{ca-file}||0"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate via an intermediate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to verify X.500 certificate from: mx1.example.test for example.test. (#4.7.5)\n\0"

  Scenario: A self-signed certificate is not verified
    Given the control file "tlsdestinations" contains "example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to verify X.500 certificate from: mx1.example.test for example.test. (#4.7.5)\n\0
      """
    And 127.0.0.2 received no message

  Scenario: An expired certificate is not verified
    Given the control file "tlsdestinations" contains "example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with an expired certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to verify X.500 certificate from: mx1.example.test for example.test. (#4.7.5)\n\0"

  Scenario: "~" checks the name, and accepts a wildcard
    Given the control file "tlsdestinations" contains "~example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a wildcard certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: "~" refuses a certificate for another name
    Given the control file "tlsdestinations" contains "~example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to validate X.500 certificate Subject for: example.test at mx1.example.test. (#4.7.5)\n\0
      """

  Scenario: "=" wants the MX host's own name
    Given the control file "tlsdestinations" contains "=mx1.example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (verified CA+DN) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: "=" does not take a wildcard
    Given the control file "tlsdestinations" contains "=mx1.example.test:{ca-file}"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a wildcard certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to validate X.500 certificate Subject for: example.test at mx1.example.test. (#4.7.5)\n\0"

  Scenario Outline: Pinning with <digest>
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And the control file "tlsdestinations" contains "%mx1.example.test:={<digest>:127.0.0.2}"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "r\0K127.0.0.2 TLS (CERT pinning) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0"

    Examples:
      | digest |
      | sha1   |
      | sha224 |
      | sha256 |
      | sha512 |

  Scenario: A pinned fingerprint that differs
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the control file "tlsdestinations" contains "%mx1.example.test:=00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZReceived X.500 certificate from: mx1.example.test for example.test does not match provided fingerprint: 00112233445566778899aabbccddeeff00112233. (#4.7.5)\n\0
      """

  Scenario: A pinned fingerprint of no known length
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the control file "tlsdestinations" contains "%mx1.example.test:=0011223344"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZReceived X.500 certificate from: mx1.example.test for example.test posses an unknown digest method. (#4.3.0)\n\0"

  Scenario: Cipher suites that do not exist
    Given the control file "tlsdestinations" contains "example.test:|TLS_NO_SUCH_SUITE_WITH_NULL_SHA"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to process the TLS ciphers: TLS_NO_SUCH_SUITE_WITH_NULL_SHA. (#4.3.0)\n\0"

  Scenario Outline: A cipher name that is neither JSSE's nor an OpenSSL selector counts as unknown: <list>
    # "NOPE_CIPHER" was taken for an OpenSSL selector and skipped, and mail went with the JDK's defaults
    Given the control file "<file>" contains "<line>"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to process the TLS ciphers: <list>. (#4.3.0)\n\0"

    Examples:
      | file             | line                               | list                   |
      | tlsdestinations  | example.test:\|NOPE_CIPHER:ALSO_NOPE | NOPE_CIPHER:ALSO_NOPE  |
      | tlsclientciphers | NOPE_CIPHER                        | NOPE_CIPHER            |

  Scenario: A CA file that does not exist
    Given the control file "tlsdestinations" contains "example.test:/nonexistent/ca.pem"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to setup CAFILE: /nonexistent/ca.pem for TLS. (#4.3.0)\n\0"

  Scenario: A rule bound to another sender's domain does not apply
    Given the control file "tlsdestinations" contains "example.test:/nonexistent/ca.pem|||partner.test"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: control/tlshosts/MX.pem makes TLS mandatory and verified (the TLS patches' way)
    Given the control file "tlshosts/mx1.example.test.pem" holds the bench CA
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted."

  Scenario: control/tlshosts/MX.pem and no STARTTLS: deferred
    Given the control file "tlshosts/mx1.example.test.pem" holds the bench CA
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to negotiate a StartTLS connection with: mx1.example.test for example.test. (#4.7.5)\n\0"

  Scenario Outline: control/tlshosts/MX.pem that is a <what>: TLS stays mandatory, and the CA that cannot load defers
    Given the control file "tlshosts/mx1.example.test.pem" is a <what>
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "ZI wasn't able to setup CAFILE: "
    And the reports end with "/control/tlshosts/mx1.example.test.pem for TLS. (#4.3.0)\n\0"

    Examples:
      | what      |
      | FIFO      |
      | directory |

  Scenario: control/notlshosts/MX turns TLS off for that host
    Given the control file "notlshosts/mx1.example.test" exists
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario Outline: The rules for every destination: "<rule>" with <certificate>
    Given the control file "tlsdestinations" contains "<rule>"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with <certificate> for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "<report>"

    Examples:
      | rule               | certificate               | report                                                                      |
      | *:                 | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |
      | -:                 | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |
      | -*:                | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |
      | /*:                | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |
      | +*:                | a certificate             | ZUnable to verify X.500 certificate from: mx1.example.test for example.test. |
      | ~*:                | a certificate             | ZUnable to verify X.500 certificate from: mx1.example.test for example.test. |
      | =*:                | a certificate             | ZUnable to verify X.500 certificate from: mx1.example.test for example.test. |
      | -example.test:     | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |
      | example.test:      | a self-signed certificate | r\0K127.0.0.2 TLS transmitted message accepted.                             |

  Scenario Outline: The rules for every destination need TLS: "<rule>" and no STARTTLS
    Given the control file "tlsdestinations" contains "<rule>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to negotiate a StartTLS connection with: mx1.example.test for example.test. (#4.7.5)\n\0"

    Examples:
      | rule           |
      | -*:            |
      | +*:            |
      | ~*:            |
      | =*:            |
      | /*:            |
      | -example.test: |

  Scenario: control/tlsclientciphers chooses the cipher suites
    Given the control file "tlsclientciphers" contains "TLS_AES_256_GCM_SHA384"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the session with 127.0.0.2 used the cipher suite "TLS_AES_256_GCM_SHA384"
