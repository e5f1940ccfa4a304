Feature: Finding the mail exchangers
  MX records in order of preference; the host's own addresses when it has no MX; a hard "no such name"
  bounces, a lookup that fails for now defers. No CNAME rewriting and no ANY queries.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "timeoutdns" contains "1"
    And a mail exchanger listens on 127.0.0.2

  Scenario: The domain does not exist
    When qmail-remote delivers to "nowhere.test" from "alice@sender.test" to "bob@nowhere.test"
    Then the reports are:
      """
      DSorry, I couldn't find any host named nowhere.test. (#5.1.2)\n\0
      """

  Scenario: The MX lookup fails temporarily
    Given "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And DNS answers SERVFAIL for "example.test" MX
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0
      """

  Scenario: The DNS server does not answer at all
    Given "example.test" has MX 10 "mx1.example.test"
    And DNS answers DROP for "example.test" MX
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0
      """

  Scenario: No MX records: the host's own address is the implicit MX
    Given "example.test" has address 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: Every MX host is missing from DNS
    Given "example.test" has MX 10 "gone1.example.test"
    And "example.test" has MX 20 "gone2.example.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n\0
      """

  Scenario: A name with neither MX nor address
    Given "example.test" has a text record "v=spf1 -all"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n\0
      """

  Scenario: One MX host fails to resolve for now, another works
    Given "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.3
    And DNS answers SERVFAIL for "mx1.example.test" ANY
    And "mx2.example.test" has address 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """

  Scenario: The only MX host fails to resolve for now
    Given "example.test" has MX 10 "mx1.example.test"
    And DNS answers SERVFAIL for "mx1.example.test" ANY
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0
      """

  Scenario: The best MX is tried first
    Given "example.test" has MX 20 "mx2.example.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.3
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And 127.0.0.3 saw 0 connections

  Scenario: An MX host that is an alias is followed, and the recipient is not rewritten
    Given "example.test" has MX 10 "mail.example.test"
    And "mail.example.test" is an alias of "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test"
    And the DNS was never asked for ANY records
    And the DNS was never asked for CNAME records

  Scenario: An MX whose target is a dotted IPv4 address is that address, as classic qmail takes it
    Given "example.test" has MX 10 "127.0.0.2."
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 72 bytes\n\0
      """
    And the DNS was never asked for A records

  Scenario: A host that is a dotted IPv4 address needs no DNS
    When qmail-remote delivers to "127.0.0.2" from "alice@sender.test" to "bob@127.0.0.2"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the DNS was never asked for MX records

  Scenario: An address literal needs no DNS
    When qmail-remote delivers to "[127.0.0.2]" from "alice@sender.test" to "bob@[127.0.0.2]"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the DNS was never asked for MX records

  @beyond-classic
  Scenario: A null MX says the domain accepts no mail
    Given "example.test" has a null MX
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry, example.test does not accept mail: it publishes a null MX. (#5.1.10)\n\0
      """
