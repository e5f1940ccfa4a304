@beyond-classic
Feature: Client certificates
  s/qmail's control/domaincerts gives a certificate per sender domain ("*" for all), with the key in the
  same file or another one, optionally protected by a password; the TLS patches' control/clientcert.pem
  holds certificate and key together. A certificate or key that cannot be used defers the message, and the
  report names the file, never the password.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 demands a client certificate

  Scenario: Certificate and key in one file, for the sender's domain
    Given the control file "domaincerts" contains "sender.test:{client-combined.pem}"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the session with 127.0.0.2 presented the client certificate "CN=client.sender.test"

  Scenario: A key of its own, encrypted with a password, for every sender
    Given the control file "domaincerts" contains "*:{client.pem}|{client-encrypted.key}|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the session with 127.0.0.2 presented the client certificate "CN=client.sender.test"

  Scenario: control/clientcert.pem
    Given the control file "clientcert.pem" holds the client certificate and its key
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 TLS transmitted message accepted."
    And the session with 127.0.0.2 presented the client certificate "CN=client.sender.test"

  Scenario: A wrong password: the report names the key file, not the password
    Given the control file "domaincerts" contains "*:control/client.pem|control/client-encrypted.key|not-the-password"
    And the client certificate files exist
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZCan't load X.509 private key: control/client-encrypted.key. (#4.3.0)\n\0"
    And the reports do not contain "not-the-password"

  Scenario: A key that belongs to another certificate (relative names are taken from the qmail home)
    Given the control file "domaincerts" contains "*:control/client.pem|control/other.key"
    And the client certificate files exist
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZKeyfile does not match X.509 certificate: control/other.key. (#4.3.0)\n\0"

  Scenario: A certificate file that does not exist
    Given the control file "domaincerts" contains "*:/nonexistent/client.pem"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZCan't load X.509 certificate: /nonexistent/client.pem. (#4.3.0)\n\0"

  Scenario: No client certificate where one is demanded, with tlsfallback "defer": the server's alert ends the session
    Given the control file "tlsfallback" contains "defer"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZTLS connection/protocol error with host: mx1.example.test for example.test. (#4.4.2)\n\0"
    And 127.0.0.2 received no message

  Scenario: No client certificate where one is demanded: opportunistic TLS goes on without TLS
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the reports end with "STARTTLS failed, so the message went without TLS (RFC 7435).\n\0"
    And the sessions with 127.0.0.2 were: "plaintext, plaintext"
