@spawn
Feature: qmail-rspawn's own answers
  qmail-send hands each remote delivery to qmail-rspawn as a request: a slot byte, then the message path (under
  queue/mess), the sender and one recipient, each ending in NUL. Before a delivery the resident qmail-rspawn
  checks the request as C qmail-rspawn does (notqmail spawn.c, in its order), and answers one that fails a
  check at once, with C's text: the slot byte, the text, a NUL. These scenarios drive bin/qmail-rspawn itself,
  so the resident run of the features leaves them out.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2
    And the queue holds the message "5/123"

  Scenario: A request that passes every check is delivered
    When qmail-send asks qmail-rspawn for slot 0 to deliver "5/123" from "alice@sender.test" to "bob@example.test"
    Then qmail-rspawn answers slot 0 with a text starting "K127.0.0.2 accepted message."
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test"

  Scenario: A slot past the limit qmail-rspawn announced
    When qmail-send asks qmail-rspawn for slot 120 to deliver "5/123" from "alice@sender.test" to "bob@example.test"
    Then qmail-rspawn answers slot 120 with "ZInternal error: delnum too big. (#4.3.5)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: A slot whose delivery has not answered yet
    Given the mail exchanger on 127.0.0.2 waits 2 seconds before answering MAIL
    When qmail-send asks qmail-rspawn twice for slot 3 to deliver "5/123" from "alice@sender.test" to "bob@example.test"
    Then qmail-rspawn answers slot 3 with "ZInternal error: delnum in use. (#4.3.5)\n\0"
    And qmail-rspawn answers slot 3 with a text starting "K127.0.0.2 accepted message."

  Scenario Outline: A message path that is no queue file: <case>
    When qmail-send asks qmail-rspawn for slot 0 to deliver "<path>" from "alice@sender.test" to "bob@example.test"
    Then qmail-rspawn answers slot 0 with "<answer>"
    And 127.0.0.2 saw 0 connections

    Examples:
      | case                     | path      | answer                                               |
      | a letter                 | 5/12a     | DInternal error: messid has nonnumerics. (#5.3.5)\n\0 |
      | a leading slash          | /5/123    | DInternal error: messid has nonnumerics. (#5.3.5)\n\0 |
      | 100 digits               | {1 * 100} | DInternal error: messid too long. (#5.3.5)\n\0        |
      | nothing                  |           | DInternal error: messid too short. (#5.3.5)\n\0       |
      | a file not in the queue  | 5/124     | Zqmail-spawn unable to open message. (#4.3.0)\n\0     |
      | a directory              | 5         | ZSorry, message has wrong type. (#4.3.5)\n\0          |

  Scenario: A recipient without a host
    When qmail-send asks qmail-rspawn for slot 0 to deliver "5/123" from "alice@sender.test" to "postmaster"
    Then qmail-rspawn answers slot 0 with "DSorry, address must include host name. (#5.1.3)\n\0"

  Scenario: A message file the queue user does not own
    Given the queue's message files belong to another user
    When qmail-send asks qmail-rspawn for slot 0 to deliver "5/123" from "alice@sender.test" to "bob@example.test"
    Then qmail-rspawn answers slot 0 with "ZSorry, message has wrong owner. (#4.3.5)\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario: A recipient too long to be an argument bounces, as C's execve of qmail-remote fails (E2BIG)
    When qmail-send asks qmail-rspawn for slot 0 to deliver "5/123" from "alice@sender.test" to "{b * 131072}@example.test"
    Then qmail-rspawn answers slot 0 with "DUnable to run qmail-remote.\n\0"
    And 127.0.0.2 saw 0 connections

  Scenario Outline: A field over the 1 MiB qmail-rspawn keeps of it gets C's answer for it: <case>
    C qmail-rspawn keeps a field of any length it has memory for, and checks it whole; the resident one keeps
    1 MiB and remembers what the rest would change: a byte of the path that is no digit, an '@' in the
    recipient. A sender or recipient that long is no argument execve takes (E2BIG).

    When qmail-send asks qmail-rspawn for slot 0 to deliver "<path>" from "<sender>" to "<recipient>"
    Then qmail-rspawn answers slot 0 with "<answer>"
    And 127.0.0.2 saw 0 connections

    Examples:
      | case                              | path             | sender                         | recipient                | answer                                                |
      | a path of digits                  | {1 * 1048577}    | alice@sender.test              | bob@example.test         | DInternal error: messid too long. (#5.3.5)\n\0        |
      | a path with a letter past 1 MiB   | {1 * 1048577}x   | alice@sender.test              | bob@example.test         | DInternal error: messid has nonnumerics. (#5.3.5)\n\0 |
      | a sender                          | 5/123            | {a * 1048577}@sender.test      | bob@example.test         | DUnable to run qmail-remote.\n\0                      |
      | a recipient, its '@' past 1 MiB   | 5/123            | alice@sender.test              | {b * 1048577}@example.test | DUnable to run qmail-remote.\n\0                    |
      | a recipient without '@'           | 5/123            | alice@sender.test              | {b * 1048577}            | DSorry, address must include host name. (#5.1.3)\n\0  |
