Feature: Message transparency
  The message goes on the wire with CRLF line ends (a lone LF or a lone CR becomes CRLF, CRLF stays),
  a dot at the start of a line doubled, and ".CRLF" at the end. A message whose last line has no line
  break cannot be sent unchanged and bounces, as in classic qmail-remote.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  # In Examples cells Gherkin reads \n itself, so a line feed is written \\n there.
  Scenario Outline: <case>
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "<input>"
    Then the report is "r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok <size> bytes\n\0"
    And the data sent to 127.0.0.2 was "<wire>"

    Examples:
      | case                          | input            | wire                           | size |
      | an empty message              |                  | .\r\\n                         | 0    |
      | a lone dot line               | .\\n             | ..\r\\n.\r\\n                  | 3    |
      | a dot line with CRLF          | .\r\\n           | ..\r\\n.\r\\n                  | 3    |
      | a lone CR and a lone LF       | cr\rlf\\n        | cr\r\\nlf\r\\n.\r\\n           | 8    |
      | CRLF kept, no CRCRLF          | a\r\\nb\r\\n     | a\r\\nb\r\\n.\r\\n             | 6    |
      | dots only at line starts      | a.b\\n..c\\n.\\n | a.b\r\\n...c\r\\n..\r\\n.\r\\n | 13   |
      | a message ending in a lone CR | x\r              | x\r\\n.\r\\n                   | 3    |

  Scenario: The received message equals the original with CRLF line ends
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: dots\n\n.\n..\n. x\n"
    Then 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: dots\r\n\r\n.\r\n..\r\n. x\r\n"

  Scenario: A partial final line bounces and nothing is delivered
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nno line break at the end"
    Then the reports are:
      """
      r\0
      DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n\0
      """
    And 127.0.0.2 received no message

  @per-process
  Scenario: A message that cannot be read is deferred
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" with a directory as stdin
    Then the reports are:
      """
      r\0
      ZUnable to read message. (#4.3.0)\n\0
      """
    And 127.0.0.2 received no message
