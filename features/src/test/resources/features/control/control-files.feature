Feature: The qmail home and its control files
  qmail-remote reads $QMAILHOME/control. A missing file means the default; a file that exists but
  cannot be read defers the message, as does a missing qmail home.

  Background:
    Given "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  @per-process
  Scenario: Too few arguments
    When qmail-remote is run with the arguments "example.test alice@sender.test"
    Then the reports are:
      """
      DI (qmail-remote) was invoked improperly. (#5.3.5)\n\0
      """

  Scenario: Neither helohost nor me
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

  Scenario: A control file that cannot be read
    Given the control file "me" contains "sender.test"
    And the control file "smtproutes" is a directory
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files. (#4.3.0)\n\0
      """

  Scenario Outline: A FIFO in place of control/<directory> defers at once instead of hanging
    Given the control file "me" contains "sender.test"
    And the control file "<directory>" is a FIFO
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

    Examples:
      | directory  |
      | tlshosts   |
      | notlshosts |

  @per-process
  Scenario: The qmail home does not exist
    Given the qmail home does not exist
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to switch to home directory. (#4.3.0)\n\0
      """

  @beyond-classic
  Scenario: me names us when there is no helohost, trailing blanks dropped
    Given the control file "me" contains "me.sender.test \x09"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."
    And the client said to 127.0.0.2:
      """
      EHLO me.sender.test\r\n
      MAIL FROM:<alice@sender.test>\r\n
      RCPT TO:<bob@example.test>\r\n
      DATA\r\n
      From: alice@sender.test\r\n
      To: bob@example.test\r\n
      Subject: test\r\n
      \r\n
      Hello.\r\n
      .\r\n
      QUIT\r\n
      """

  @own-launcher @per-process
  Scenario: Running out of memory defers the message
    Given the control file "me" contains "sender.test"
    And the control file "smtproutes" holds 64 MiB of routes
    And the JVM of qmail-remote may use at most 32 MiB of heap
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZOut of memory. (#4.3.0)\n\0
      """

  @beyond-classic
  Scenario: Trust anchors that are not DS or DNSKEY records name their line
    Given the control file "me" contains "sender.test"
    And the control file "trustanchors" contains "garbage"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: trustanchors line 1: not a DS or DNSKEY record in master-file format. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario Outline: A domainips HELO name with <what> never reaches EHLO
    Given the control file "me" contains "sender.test"
    And the control file "domainips" contains "<line>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: domainips line 1: the HELO name has bytes SMTP cannot carry. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

    Examples:
      | what        | line                               |
      | a CR        | sender.test:127.0.0.1\|evil\rRSET  |
      | a NUL       | sender.test:127.0.0.1\|evil\0RSET  |
      | a space     | sender.test:127.0.0.1\|evil RSET   |

  @beyond-classic
  Scenario: A helohost with a CR never reaches EHLO
    Given the control file "me" contains "sender.test"
    And the control file "helohost" contains "evil\rRSET"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: helohost line 1: the host name has bytes SMTP cannot carry. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario: A NUL inside a route line names the file and the line
    Given the control file "me" contains "sender.test"
    And the control file "smtproutes" contains "# routes\n\nexample.test:relay\0.test"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: smtproutes line 3: a CR or NUL byte, which no control file line can hold. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario: A timeout beyond any socket's names its file
    Given the control file "me" contains "sender.test"
    And the control file "timeoutremote" contains "99999999999999999999"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZUnable to read control files: timeoutremote line 1: a number over 2147483647. (#4.3.0)\n\0
      """
    And 127.0.0.2 saw 0 connections

  @beyond-classic
  Scenario: A CR in tlsclientciphers names the file and the line
    Given the control file "me" contains "sender.test"
    And the control file "tlsclientciphers" contains "TLS_AES_128_GCM_SHA256\rRSET"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the report is "ZUnable to read control files: tlsclientciphers line 1: a CR or NUL byte, which no control file line can hold. (#4.3.0)\n\0"
