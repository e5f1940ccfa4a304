@beyond-classic
Feature: s/qmail's and Qsmtp's route forms, authsenders, and AUTH
  smtproutes also takes s/qmail's "relay;[s]port|user|password|localip" and Qsmtp's
  "relay:port:user:secret"; "!@" routes bounces (the empty sender). authsenders routes by the sender
  (the address, then from each '.' and '@' on, then the empty key) and comes before smtproutes. A route
  with credentials logs in with the strongest mechanism both sides know (XOAUTH2 for a token, else
  CRAM-MD5, PLAIN, LOGIN); a refused login defers, and the report never shows the secret.

  Background:
    Given the control file "me" contains "sender.test"
    And "relay.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario Outline: Logging in with <mechanism>
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by <mechanism>
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.3 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "alice"
    And 127.0.0.2 saw 0 connections

    Examples:
      | mechanism     |
      | SCRAM-SHA-256 |
      | CRAM-MD5      |
      | PLAIN         |
      | LOGIN         |

  Scenario Outline: A password that the server's challenge happens to contain still logs in, with <mechanism>
    # the masking that keeps secrets out of reports once took "<password>" out of the challenge itself
    # (base64 of SCRAM's "r=" begins "cj", of CRAM-MD5's "<1" "PD"), and the proof was made from the mask
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "<password>" by <mechanism>
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|<password>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "alice"

    Examples:
      | mechanism     | password |
      | SCRAM-SHA-256 | cj       |
      | CRAM-MD5      | PD       |

  Scenario Outline: A UTF-8 password goes as the bytes of the control file, with <mechanism>
    Given the mail exchanger on 127.0.0.3 accepts the login "josé" with "péw" by <mechanism>
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|jos\xc3\xa9|p\xc3\xa9w"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "josé"

    Examples:
      | mechanism     |
      | SCRAM-SHA-256 |
      | CRAM-MD5      |
      | PLAIN         |
      | LOGIN         |

  Scenario Outline: A NUL in the <field> would shift PLAIN's fields: the line is refused
    Given the mail exchanger on 127.0.0.3 accepts the login "us" with "er" by PLAIN
    And the control file "authsenders" contains "<line>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: authsenders line 1: a CR or NUL byte, which no control file line can hold. (#4.3.0)\n\0
      """
    And 127.0.0.3 saw 0 connections

    Examples:
      | field    | line                                             |
      | user     | @sender.test:relay.test;{smtp-port}\|us\0er\|pw  |
      | password | @sender.test:relay.test;{smtp-port}\|us\|er\0pw  |

  Scenario: XOAUTH2 with a token read from a file
    Given the mail exchanger on 127.0.0.3 accepts the login "alice@sender.test" with "ya29.token-value" by XOAUTH2
    And the control file "oauth/relay.token" contains "ya29.token-value"
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice@sender.test|oauth2:control/oauth/relay.token"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "alice@sender.test"

  Scenario: An XOAUTH2 token with a control byte would shift the fields: refused, naming the route's file
    Given the control file "oauth/relay.token" contains "ya29.token\x01user=mallory"
    And the control file "authsenders" contains "@sender.test:relay.test;{smtp-port}|alice@sender.test|oauth2:control/oauth/relay.token"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to read control files: control/authsenders: the OAuth user or token of the route has control bytes. (#4.3.0)\n\0"
    And 127.0.0.3 saw 0 connections

  Scenario Outline: A password holding '|' is never quoted, not even its tail
    Given the control file "<file>" contains "<line>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to read control files: <file>: the field after the password is not an IP address (a password cannot contain '|'). (#4.3.0)\n\0"
    And 127.0.0.3 saw 0 connections

    Examples:
      | file        | line                                                           |
      | authsenders | alice@sender.test:relay.test;{smtp-port}\|us\|pa\|Sss1Secret\|word |
      | smtproutes  | example.test:relay.test;{smtp-port}\|us\|My\|Pa55SecretTail       |

  Scenario: The strongest common mechanism is chosen
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by LOGIN, PLAIN, CRAM-MD5
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client logged in to 127.0.0.3 with "CRAM-MD5"

  Scenario: SCRAM-SHA-256 comes first when offered
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by PLAIN, SCRAM-SHA-256, CRAM-MD5
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the client logged in to 127.0.0.3 with "SCRAM-SHA-256"

  Scenario: SCRAM-SHA-256 with a wrong password
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "right" by SCRAM-SHA-256
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|wrong-secret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but authentication was rejected (AUTH SCRAM-SHA-256).\nRemote host said: 535 5.7.8 Authentication credentials invalid\n\0"
    And the reports do not contain "wrong-secret"

  Scenario: A wrong password defers, and the report shows what the server said, never the secret
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "right" by PLAIN
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|wrong-secret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.3 but authentication was rejected (plain).\nRemote host said: 535 5.7.8 Authentication credentials invalid\n\0
      """
    And the reports do not contain "wrong-secret"

  Scenario: A server that echoes the AUTH line in its refusal cannot put the credentials into the report
    Given the mail exchanger on 127.0.0.3 accepts the login "user" with "S3cr3tPW" by PLAIN
    And the mail exchanger on 127.0.0.3 answers AUTH with "535 5.7.8 you said AUTH PLAIN AHVzZXIAUzNjcjN0UFc="
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|user|S3cr3tPW"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but authentication was rejected (plain).\nRemote host said: 535 5.7.8 you said [redacted]\n\0"

  Scenario: A server that echoes the password itself, in clear, is masked too
    Given the mail exchanger on 127.0.0.3 accepts the login "user" with "S3cr3tPW" by LOGIN
    And the mail exchanger on 127.0.0.3 answers AUTH with "535 5.7.8 password S3cr3tPW is wrong"
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|user|S3cr3tPW"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but authentication was rejected (AUTH LOGIN).\nRemote host said: 535 5.7.8 password [redacted] is wrong\n\0"

  Scenario: LOGIN refused at once
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by LOGIN
    And the mail exchanger on 127.0.0.3 answers AUTH with "535 5.7.8 no such user"
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but authentication was rejected (AUTH LOGIN).\nRemote host said: 535 5.7.8 no such user\n\0"

  Scenario Outline: The server's AUTH reply <code> defers the message
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by CRAM-MD5
    And the mail exchanger on 127.0.0.3 answers AUTH with "<reply>"
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but authentication was rejected (AUTH CRAM-MD5).\nRemote host said: <reply>\n\0"

    Examples:
      | code | reply                                                                 |
      | 432  | 432 4.7.12 A password transition is needed                            |
      | 454  | 454 4.7.0 Temporary authentication failure                            |
      | 534  | 534 5.7.9 Authentication mechanism is too weak                        |
      | 538  | 538 5.7.11 Encryption required for requested authentication mechanism |

  Scenario: A CRAM-MD5 challenge that is not base64
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by CRAM-MD5
    And the mail exchanger on 127.0.0.3 answers AUTH with "334 !!not base64!!"
    And the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZConnected to 127.0.0.3 but unable to base64decode challenge.\nRemote host said: 334 !!not base64!!\n\0"

  Scenario: No common mechanism: delivered without AUTH, and the final report says so
    Given the control file "smtproutes" contains "example.test:relay.test;{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.3 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\nNo supported AUTH method found, continuing without authentication.\n\0
      """

  Scenario: Qsmtp's form, relay:port:user:secret
    Given the mail exchanger on 127.0.0.3 accepts the login "qsmtpuser" with "qsmtppass" by PLAIN
    And the control file "smtproutes" contains "example.test:relay.test:{smtp-port}:qsmtpuser:qsmtppass"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "qsmtpuser"

  Scenario: authsenders routes by the sender's domain, before smtproutes
    Given the mail exchanger on 127.0.0.3 accepts the login "domainuser" with "domainpass" by PLAIN
    And the control file "smtproutes" contains "example.test:[127.0.0.4]"
    And the control file "authsenders" contains "@sender.test:relay.test;{smtp-port}|domainuser|domainpass"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "domainuser"

  Scenario: authsenders: a line for the whole address wins over the domain's
    Given the mail exchanger on 127.0.0.3 accepts the login "alice" with "alicepass" by PLAIN
    And the control file "authsenders" contains:
      """
      @sender.test:relay.test;{smtp-port}|domainuser|domainpass
      alice@sender.test:relay.test;{smtp-port}|alice|alicepass
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "alice"

  Scenario: "!@" routes bounces
    Given the control file "smtproutes" contains:
      """
      !@:relay.test;{smtp-port}
      example.test:[127.0.0.4]
      """
    When qmail-remote delivers to "example.test" from "" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."

  Scenario: A route binds to a local address
    Given the control file "smtproutes" contains "example.test:relay.test;{smtp-port}||127.0.0.9"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.3 saw a connection from 127.0.0.9

  Scenario: A local address this machine does not have
    Given the control file "smtproutes" contains "example.test:relay.test;{smtp-port}||192.0.2.77"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZCan't bind to local ip address: 192.0.2.77. (#4.3.0)\n\0"

  Scenario: An "s" port: TLS from the first byte, then AUTH inside it
    Given the mail exchanger on 127.0.0.3 speaks TLS from the first byte with a certificate for "relay.test"
    And the mail exchanger on 127.0.0.3 accepts the login "alice" with "s3cret" by PLAIN
    And the control file "smtproutes" contains "example.test:relay.test;s{smtp-port}|alice|s3cret"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 TLS transmitted message accepted."
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test" as the user "alice"

  Scenario: domainips binds mail from a sender's domain to a local address, with its own HELO name
    Given the control file "domainips" contains:
      """
      sender.test:127.0.0.10|mail.sender.test
      *:127.0.0.11
      """
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And 127.0.0.2 saw a connection from 127.0.0.10
    And the client said "EHLO mail.sender.test" to 127.0.0.2

  Scenario: domainips "*" for every other sender
    Given the control file "domainips" contains:
      """
      sender.test:127.0.0.10|mail.sender.test
      *:127.0.0.11
      """
    When qmail-remote delivers to "example.test" from "carol@other.test" to "bob@example.test"
    Then 127.0.0.2 saw a connection from 127.0.0.11
    And the client said "EHLO sender.test" to 127.0.0.2

  Scenario: domainips with an address that is no address
    Given the control file "domainips" contains "*:not-an-address"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZInvalid ipaddr in control/domainips (#4.3.0)\n\0"
