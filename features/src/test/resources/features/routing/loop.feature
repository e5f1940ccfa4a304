Feature: Not sending mail to ourselves
  When this machine is a mail exchanger for the host, only exchangers with a better preference are
  tried. If we are the best, the host should have been in control/locals: the message bounces.

  Background:
    Given the control file "me" contains "sender.test"
    And a mail exchanger listens on 127.0.0.2

  Scenario: We are the best MX
    Given "example.test" has MX 10 "us.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "us.example.test" has address 127.0.0.1
    And "mx2.example.test" has address 127.0.0.2
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      DSorry. Although I'm listed as a best-preference MX or A for that host,\nit isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0
      """
    And 127.0.0.2 saw 0 connections

  Scenario: We are a backup MX: only better ones are tried
    Given "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "us.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "us.example.test" has address 127.0.0.1
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: An address literal of our own
    When qmail-remote delivers to "[127.0.0.1]" from "alice@sender.test" to "bob@[127.0.0.1]"
    Then the reports are:
      """
      DSorry. Although I'm listed as a best-preference MX or A for that host,\nit isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0
      """
