@beyond-classic
Feature: MTA-STS (RFC 8461)
  With control/mtasts "on", mail to a domain that publishes a TXT record "v=STSv1; id=..." at _mta-sts.DOMAIN
  follows the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt. In enforce mode only MX hosts the
  policy lists are used, over TLS with a certificate valid for the MX name (WebPKI: here the bench's CA,
  named in control/mtastscafile); a refused MX means the next one, and with none left the message is
  deferred. In testing mode the message goes as without a policy, and the report says what would have been
  refused. A policy that cannot be had (no record, a fetch or certificate failure, a malformed policy) means no
  policy, unless a fresh one is cached (control/mtastscache). The K report says what was enforced.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"

  Scenario: Enforce: a listed MX with a valid certificate gets the message, and the report says so
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\nMTA-STS policy enforced: example.test, mode enforce, mx1.example.test listed, its certificate valid for it.\n\0
      """
    And the policy host on 127.0.0.20 was asked for "/.well-known/mta-sts.txt" with SNI "mta-sts.example.test" and Host "mta-sts.example.test:HTTPS_PORT"

  Scenario: Enforce: wildcard patterns match one label
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: *.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted."

  Scenario: Enforce: an MX the policy does not list is never contacted; none left defers
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZMTA-STS policy of example.test does not list the MX host mx1.example.test. (#4.7.5)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: Enforce: an unlisted MX is passed over for a listed one
    Given "example.test" has MX 20 "mail.example.test"
    And "mail.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.3 offers STARTTLS with a certificate for "mail.example.test"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 TLS (verified CA+DN*) transmitted message accepted."
    And 127.0.0.2 saw 0 connections

  Scenario: Enforce: a certificate for another name defers
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to validate X.500 certificate Subject for: example.test at mx1.example.test. (#4.7.5)\n\0"
    And 127.0.0.2 received no message

  Scenario: Enforce: no STARTTLS defers, never plaintext
    Given "example.test" has MX 20 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx2.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to negotiate a StartTLS connection with: mx2.example.test for example.test. (#4.7.5)\n\0"
    And 127.0.0.3 received no message

  Scenario: Testing: delivered to an unlisted MX, and the report says what enforce would have refused
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: testing
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\nMTA-STS policy in testing mode, not enforced: example.test, mx1.example.test is not listed.\n\0
      """

  Scenario Outline: Testing: a certificate enforce would refuse is delivered to, and the report names the failure
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with <certificate> for "<name>"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: testing
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the reports end with "MTA-STS policy in testing mode, not enforced: example.test, <note>.\n\0"

    Examples:
      | certificate               | name             | note                                                                           |
      | a certificate             | mx1.example.test | no failure seen                                                                |
      | a certificate             | other.test       | the certificate of mx1.example.test would be refused (certificate-host-mismatch) |
      | an expired certificate    | mx1.example.test | the certificate of mx1.example.test would be refused (certificate-expired)     |
      | a self-signed certificate | mx1.example.test | the certificate of mx1.example.test would be refused (certificate-not-trusted) |

  Scenario: Testing: no STARTTLS, delivered in plaintext, and the report says so
    Given "example.test" has MX 5 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: testing
      mx: mx2.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And the reports end with "MTA-STS policy in testing mode, not enforced: example.test, no TLS with mx2.example.test.\n\0"

  Scenario: Mode none: no policy
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: none
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: No TXT record: no policy, the policy host is not asked
    Given "example.test" publishes the MTA-STS record "v=spf1 -all"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the policy host on 127.0.0.20 was asked 0 times

  Scenario Outline: A policy that cannot be had is no policy, and the report says why
    Given the policy host of "example.test" on 127.0.0.20 with <certificate> serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\nNo MTA-STS policy applied: example.test: sts-webpki-invalid (<why>).\n\0
      """

    Examples:
      | certificate                    | why                                                      |
      | an expired certificate         | the certificate of mta-sts.example.test is not trusted   |
      | a self-signed certificate      | the certificate of mta-sts.example.test is not trusted   |
      | a certificate for another name | the certificate is not valid for mta-sts.example.test    |

  Scenario Outline: Answers that are no policy
    Given the policy host of "example.test" on 127.0.0.20 answers <status> with "<body>" as "<type>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports end with "No MTA-STS policy applied: example.test: <result>.\n\0"

    Examples:
      | status | type       | body                                                                   | result                                                  |
      | 404    | text/plain | not here                                                               | sts-policy-fetch-error (HTTP status 404)                |
      | 200    | text/html  | version: STSv1\nmode: enforce\nmx: mail.example.test\nmax_age: 86400\n | sts-policy-invalid (the media type is not text/plain)   |
      | 200    | text/plain | version: STSv1\nmode: enforcing\nmx: mail.example.test\nmax_age: 86400\n | sts-policy-invalid (mode is not enforce, testing or none) |
      | 200    | text/plain | version: STSv1\nmode: enforce\nmx: mail.example.test\n                 | sts-policy-invalid (max_age is not a number of seconds up to 31557600) |
      | 200    | text/plain | version: STSv1\nmode: enforce\nmax_age: 86400\n                        | sts-policy-invalid (no mx pattern)                      |
      | 200    | text/plain | version: STSv2\nmode: enforce\nmx: mail.example.test\nmax_age: 86400\n | sts-policy-invalid (version is not STSv1)               |

  Scenario: A redirect is not followed
    Given the policy host of "example.test" on 127.0.0.20 redirects to "https://elsewhere.test/policy.txt"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports end with "No MTA-STS policy applied: example.test: sts-policy-fetch-error (HTTP status 301).\n\0"

  Scenario: The policy host is down: no policy
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    And the policy host on 127.0.0.20 is down
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports end with "No MTA-STS policy applied: example.test: sts-policy-fetch-error (no connection to mta-sts.example.test).\n\0"

  Scenario: The policy host is down and the id changed: the cached policy still holds
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    And qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And the policy host on 127.0.0.20 is down
    And "example.test" publishes the MTA-STS id "20260202"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports end with "MTA-STS policy enforced: example.test, mode enforce, mx1.example.test listed, its certificate valid for it.\n\0"

  Scenario: The same id: the cached policy is used, the host is not asked again
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    And qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And the policy host on 127.0.0.20 now serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted."
    And the policy host on 127.0.0.20 was asked 1 time

  Scenario: A new id: the policy is fetched again and the new one holds
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    And qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And the policy host on 127.0.0.20 now serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    And "example.test" publishes the MTA-STS id "20260202"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZMTA-STS policy of example.test does not list the MX host mx1.example.test. (#4.7.5)\n\0"
    And the policy host on 127.0.0.20 was asked 2 times

  Scenario: An explicit tlsdestinations rule for the destination wins over the policy
    Given the control file "tlsdestinations" contains "example.test:"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario Outline: A tlsdestinations rule for every destination is the baseline the policy strengthens: <rule>
    Given the control file "tlsdestinations" contains "<rule>"
    And "example.test" has MX 5 "mx0.example.test"
    And "mx0.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted.\nRemote host said: 250 2.0.0 ok 72 bytes\nMTA-STS policy enforced: example.test, mode enforce, mx1.example.test listed, its certificate valid for it.\n\0
      """
    And 127.0.0.3 saw 0 connections

    Examples:
      | rule |
      | *:   |
      | ?:   |
      | -:   |
      | /:   |
      | -*:  |
      | /*:  |
      | +*:  |
      | =*:  |

  Scenario: Under a rule for every destination, a listed MX with a certificate for another name defers
    Given the control file "tlsdestinations" contains "-*:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to validate X.500 certificate Subject for: example.test at mx1.example.test. (#4.7.5)\n\0"
    And 127.0.0.2 received no message

  Scenario: A tlsdestinations rule naming the MX host wins over the policy
    Given the control file "tlsdestinations" contains "*:\n-mx1.example.test:"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."

  Scenario: A destination with a final dot or capitals has the policy of the domain
    Given the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mail.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "Example.TEST." from "alice@sender.test" to "bob@Example.TEST."
    Then the report is "ZMTA-STS policy of Example.TEST. does not list the MX host mx1.Example.TEST. (#4.7.5)\n\0"
    And 127.0.0.2 saw 0 connections
    And the policy host on 127.0.0.20 was asked for "/.well-known/mta-sts.txt" with SNI "mta-sts.example.test" and Host "mta-sts.example.test:HTTPS_PORT"

  Scenario: A destination with a final dot finds the policy cached for the domain when the host is down
    Given "example.test" has MX 5 "mx0.example.test"
    And "mx0.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    And qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And the policy host on 127.0.0.20 is down
    When qmail-remote delivers to "example.test." from "alice@sender.test" to "bob@example.test."
    Then the reports end with "MTA-STS policy enforced: example.test., mode enforce, mx1.example.test listed, its certificate valid for it.\n\0"
    And 127.0.0.3 saw 0 connections

  Scenario: With none left, the report is that of the last MX tried, not of an unlisted one passed over
    Given "example.test" has MX 20 "mx2.example.test"
    And "mx2.example.test" has address 127.0.0.4
    And nothing listens on 127.0.0.4
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx2.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: A listed MX that refused TLS is the one the report names, though an unlisted one came after it
    Given "example.test" has MX 5 "mx0.example.test"
    And "mx0.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx0.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZI wasn't able to negotiate a StartTLS connection with: mx0.example.test for example.test. (#4.7.5)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: A bad control/mtasts defers
    Given the control file "mtasts" contains "yes"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to read control files: mtasts line 1: 'yes' is not on or off. (#4.3.0)\n\0"
