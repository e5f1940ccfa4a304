@beyond-classic
Feature: TLS reporting (RFC 8460)
  With control/tlsrptspool naming a directory, each session with a domain's MX appends its TLS outcome to
  that day's file there: the policy (tlsa when DANE applied, with its TLSA records; no-policy-found
  otherwise), the result (success, or a result type of RFC 8460 4.3), the sending address, the MX's name and
  address. bin/tlsrpt turns one UTC day into one report per policy domain, the RFC's JSON gzipped, and sends
  it where the domain's _smtp._tls TXT record says: a mailto: address through qmail-inject, as a
  multipart/report mail, an https: address by POST.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: Opportunistic STARTTLS is a successful session without a policy
    Given TLS reporting spools to "tlsrpt"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the TLS reporting spool holds 1 session
    And the TLS reporting spool holds a session for "example.test" under "no-policy-found" with the result "success"

  Scenario: A failed handshake is a failure, and the plaintext retry after it no TLS session
    Given TLS reporting spools to "tlsrpt"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 closes the connection at TLS-HANDSHAKE
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the TLS reporting spool holds 1 session
    And the TLS reporting spool holds a session for "example.test" under "no-policy-found" with the result "validation-failure"

  Scenario: DANE: the policy is tlsa, with the TLSA records
    Given TLS reporting spools to "tlsrpt"
    And DNSSEC signs the zone
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 for the certificate of 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (TLSA validated) transmitted message accepted."
    And the TLS reporting spool holds a session for "example.test" under "tlsa" with the result "success"

  Scenario: DANE: no TLSA record matches, a tlsa-invalid failure
    Given TLS reporting spools to "tlsrpt"
    And DNSSEC signs the zone
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "ZTLSA X.509 cert required but missing from: mx1.example.test for example.test."
    And the TLS reporting spool holds a session for "example.test" under "tlsa" with the result "tlsa-invalid"

  Scenario: Without control/tlsrptspool nothing is spooled
    Given the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the TLS reporting spool holds 0 sessions

  Scenario: A day's report goes as mail through qmail-inject, and crosses a mail exchanger
    Given TLS reporting spools to "tlsrpt"
    And the TLS reporting spool holds for today 3 successful and 2 failed "certificate-host-mismatch" sessions for "example.test"
    And "_smtp._tls.example.test" has a text record "v=TLSRPTv1; rua=mailto:tls-reports@example.test"
    And qmail-inject hands each message to qmail-remote for "example.test"
    When tlsrpt runs for today
    Then tlsrpt exits 0 and says "example.test mailto:tls-reports@example.test: sent (handed to qmail-inject)"
    And qmail-inject was asked for "tls-reports@example.test" from "postmaster@sender.test"
    And 127.0.0.2 received the report mail with the headers:
      """
      TLS-Report-Domain: example.test
      TLS-Report-Submitter: sender.test
      Subject: Report Domain: example.test Submitter: sender.test Report-ID: <
      Content-Type: multipart/report; report-type="tlsrpt";
      Content-Type: application/tlsrpt+gzip
      filename="sender.test!example.test!
      """
    And the report is RFC 8460 JSON for "example.test" with 3 successful and 2 failed "certificate-host-mismatch" sessions under "no-policy-found"

  Scenario: A second run the same day sends nothing twice
    Given TLS reporting spools to "tlsrpt"
    And the TLS reporting spool holds for today 1 successful and 0 failed "" sessions for "example.test"
    And "_smtp._tls.example.test" has a text record "v=TLSRPTv1; rua=mailto:tls-reports@example.test"
    And qmail-inject hands each message to qmail-remote for "example.test"
    When tlsrpt runs for today
    And tlsrpt runs for today
    Then tlsrpt exits 0 and says "example.test mailto:tls-reports@example.test: sent before"
    And 127.0.0.2 received 1 messages

  Scenario: A day's report goes to an https: rua by POST, as application/tlsrpt+gzip
    Given TLS reporting spools to "tlsrpt"
    And the TLS reporting spool holds for today 4 successful and 1 failed "starttls-not-supported" session for "example.test"
    And an HTTPS report receiver listens on localhost, and "example.test" publishes it as its rua
    When tlsrpt runs for today
    Then tlsrpt exits 0 and says ": sent (HTTP 201)"
    And the HTTPS receiver got one report as "application/tlsrpt+gzip"
    And the report is RFC 8460 JSON for "example.test" with 4 successful and 1 failed "starttls-not-supported" session under "no-policy-found"

  Scenario: A domain that publishes no TLSRPT record gets no report
    Given TLS reporting spools to "tlsrpt"
    And the TLS reporting spool holds for today 1 successful and 0 failed "" sessions for "example.test"
    When tlsrpt runs for today
    Then tlsrpt exits 0 and says "example.test: publishes no TLS reporting policy; 1 sessions not reported"
    And 127.0.0.2 received no message

  Scenario: MTA-STS enforce: a session under the policy is an sts success, an unlisted MX a validation-failure, and the report counts both
    Given TLS reporting spools to "tlsrpt"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And "example.test" has MX 5 "mx0.example.test"
    And "mx0.example.test" has address 127.0.0.3
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS (verified CA+DN*) transmitted message accepted."
    And the TLS reporting spool holds 2 sessions
    And the TLS reporting spool holds a session for "example.test" under "sts" with the result "success"
    And the TLS reporting spool holds an MTA-STS line for "example.test" with the result "validation-failure" for "mx0.example.test" at "127.0.0.3"
    Given an HTTPS report receiver listens on localhost, and "example.test" publishes it as its rua
    When tlsrpt runs for today
    Then tlsrpt exits 0 and says ": sent (HTTP 201)"
    And the HTTPS receiver got one report as "application/tlsrpt+gzip"
    And the report has the MTA-STS policy of "example.test" with mx "mx1.example.test", 1 successful session and 1 failed "validation-failure" for "mx0.example.test" at "127.0.0.3"

  Scenario Outline: MTA-STS testing: a session is counted as enforce would have judged it
    Given TLS reporting spools to "tlsrpt"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "<name>"
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: testing
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 "
    And the TLS reporting spool holds 1 session
    And the TLS reporting spool holds a session for "example.test" under "sts" with the result "<result>"

    Examples:
      | name             | result                    |
      | mx1.example.test | success                   |
      | other.test       | certificate-host-mismatch |

  Scenario: MTA-STS testing: an MX without STARTTLS gets the message in plaintext, a starttls-not-supported session
    Given TLS reporting spools to "tlsrpt"
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: testing
      mx: mx1.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the TLS reporting spool holds 1 session
    And the TLS reporting spool holds a session for "example.test" under "sts" with the result "starttls-not-supported"

  Scenario: MTA-STS: a policy that cannot be had is one sts line for the delivery, without an MX
    Given TLS reporting spools to "tlsrpt"
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 answers 404 with "gone" as "text/plain"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the TLS reporting spool holds 2 sessions
    And the TLS reporting spool holds a session for "example.test" under "no-policy-found" with the result "success"
    And the TLS reporting spool holds an MTA-STS line for "example.test" with the result "sts-policy-fetch-error" and no MX
