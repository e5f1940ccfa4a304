@beyond-classic @delivery-log
Feature: The delivery log (control/deliverylog)
  With control/deliverylog naming a file, every attempt over SMTP or QMTP appends one JSON line to it: the host,
  the MX, the address, TLS and what was verified, why TLS failed, the AUTH mechanism, every reply code,
  bytes, the outcome and the letter of its report. The jq programs here are the README's.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "deliverylog" contains "delivery.json"

  Scenario: A DANE mismatch at the first MX, the message taken by the second; which fail TLS, deliveries per MX
    Given DNSSEC signs the zone
    And "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.2
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a self-signed certificate for "mx1.example.test"
    And "_25._tcp.mx1.example.test" has a TLSA record 3 1 1 "0000000000000000000000000000000000000000000000000000000000000000"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And the delivery log has 2 lines
    When the delivery log is filtered with jq -r:
      """
      select(.tls_failure != null) | "\(.host) \(.mx) \(.address) \(.tls_failure)"
      """
    Then jq prints:
      """
      example.test mx1.example.test 127.0.0.2 dane-mismatch
      """
    When the delivery log is filtered with jq -rs:
      """
      map(select(.outcome == "done")) | group_by(.mx)[] | "\(length) \(.[0].mx)"
      """
    Then jq prints:
      """
      1 mx2.example.test
      """

  Scenario: Which domains defer
    Given "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "other.test" has MX 10 "mx1.other.test"
    And "mx1.other.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.2
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 answers MAIL with "451 4.3.0 try again later"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And qmail-remote delivers to "other.test" from "alice@sender.test" to "carol@other.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And the delivery log has 2 lines
    When the delivery log is filtered with jq -r:
      """
      select(.letter == "Z") | "\(.host) \(.replies | map("\(.command) \(.code)") | join(", "))"
      """
    Then jq prints:
      """
      example.test greeting 220, EHLO 250, MAIL 451, RCPT 503, DATA 554
      """

  Scenario: A QMTP route logs its attempt too, with no SMTP replies
    Given "qmtp.test" has address 127.0.0.5
    And a QMTP server listens on 127.0.0.5
    And the control file "qmtproutes" contains "example.test:qmtp.test;{smtp-port}"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0KAll received okay by 127.0.0.5."
    And the delivery log has 1 lines
    When the delivery log is filtered with jq -r:
      """
      "\(.protocol) \(.mx) \(.address) \(.outcome) \(.letter) \(.replies | length)"
      """
    Then jq prints:
      """
      qmtp qmtp.test 127.0.0.5 done K 0
      """

  Scenario: MTA-STS: each attempt carries the policy's mode and what came of it
    Given "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.2
    And a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "other.test"
    And the mail exchanger on 127.0.0.3 offers STARTTLS with a certificate for "mx2.example.test"
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 serves:
      """
      version: STSv1
      mode: enforce
      mx: *.example.test
      max_age: 86400
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 TLS (verified CA+DN*) transmitted message accepted."
    And the delivery log has 2 lines
    When the delivery log is filtered with jq -r:
      """
      "\(.attempt) \(.mx) \(.mta_sts.mode) \(.mta_sts.result) \(.outcome)"
      """
    Then jq prints:
      """
      1 mx1.example.test enforce certificate-host-mismatch next
      2 mx2.example.test enforce success done
      """

  Scenario: MTA-STS: a policy that cannot be had is in each line, without a mode; without MTA-STS the field is null
    Given "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And "other.test" has MX 10 "mx1.other.test"
    And "mx1.other.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And MTA-STS is on
    And "example.test" publishes the MTA-STS id "20260101"
    And the policy host of "example.test" on 127.0.0.20 answers 404 with "gone" as "text/plain"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    And qmail-remote delivers to "other.test" from "alice@sender.test" to "carol@other.test"
    Then the delivery log has 2 lines
    When the delivery log is filtered with jq -c:
      """
      [.host, .mta_sts]
      """
    Then jq prints:
      """
      ["example.test",{"mode":null,"result":"sts-policy-fetch-error"}]
      ["other.test",null]
      """
