@beyond-classic
Feature: 8BITMIME and the quoted-printable downgrade (RFC 6152, RFC 2045)
  Where the server offers 8BITMIME, 8-bit data goes as it is with BODY=8BITMIME. Where it does not, each
  part with 8-bit bytes is recoded to quoted-printable, MIME-correctly: its Content-Transfer-Encoding header
  says so, parts that are already 7-bit or already encoded are not touched, and a multipart labelled 8bit
  around a recoded part is relabelled 7bit when no 8-bit byte is left in it. A line longer than SMTP allows
  (998 bytes) is recoded whatever the server offers. A message that must be recoded goes after DATA even
  where CHUNKING is offered: BDAT lifts neither the 8-bit rule nor the line limit (RFC 3030 2 and 3: only
  BINARYMIME does). Headers are never recoded; a header line over 998 bytes is folded before
  whitespace it has, so that it unfolds to itself. The K report says what was done after the classic
  text; a message sent as it is keeps the classic report bytes.

  Background:
    Given the control file "me" contains "sender.test"
    And "example.test" has MX 10 "mx1.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And a mail exchanger listens on 127.0.0.2

  Scenario: A server without 8BITMIME gets 8-bit text as quoted-printable, and a note says so
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, SIZE 1000000"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nd\xe9j\xe0 vu = seen  \n.\xe9\n"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 110 bytes\nRecoded to quoted-printable, parts: 1.\n\0
      """
    And the client said "MAIL FROM:<alice@sender.test> SIZE=32" to 127.0.0.2
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nd=E9j=E0 vu =3D seen =20\r\n.=E9\r\n"
    And the message 127.0.0.2 received decodes, part for part, to the message sent

  @per-process
  Scenario: From a pipe the message is kept first, then sized and recoded as a file would be
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, SIZE 1000000"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nd\xe9j\xe0 vu = seen  \n.\xe9\n" through a pipe
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\n\0"
    And the client said "MAIL FROM:<alice@sender.test> SIZE=32" to 127.0.0.2
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nd=E9j=E0 vu =3D seen =20\r\n.=E9\r\n"

  Scenario: A multipart message: only its 8-bit parts are recoded, and it decodes to what was sent
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "multipart-8bit.eml"
    Then the message report starts with "r\0K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok "
    And the reports end with "\nRecoded to quoted-printable, parts: 3.\n\0"
    And 127.0.0.2 received the parts "2, 3, 5.1" recoded to quoted-printable, and every other part as it was sent
    And the message 127.0.0.2 received decodes, part for part, to the message sent
    And the message 127.0.0.2 received has the header "Content-Transfer-Encoding: 7bit"
    And the message 127.0.0.2 received has the header "Subject: Grüße"

  Scenario: A binary part is recoded byte for byte
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "binary.eml"
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\n\0"
    And 127.0.0.2 received the parts "2" recoded to quoted-printable, and every other part as it was sent
    And the message 127.0.0.2 received decodes, part for part, to the message sent
    And the message 127.0.0.2 received has the header "Content-Transfer-Encoding: 7bit"

  Scenario: Where 8BITMIME is offered the same message goes as it is
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "multipart-8bit.eml"
    Then the reports end with " bytes\n\0"
    And the client said "MAIL FROM:<alice@sender.test> BODY=8BITMIME" to 127.0.0.2
    And 127.0.0.2 received the parts "" recoded to quoted-printable, and every other part as it was sent

  Scenario Outline: A line over 998 bytes is recoded even where 8BITMIME is offered
    Given the mail exchanger on 127.0.0.2 announces "<extensions>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "long-line.eml"
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\n\0"
    And the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2
    And 127.0.0.2 received the parts "1" recoded to quoted-printable, and every other part as it was sent
    And the message 127.0.0.2 received decodes, part for part, to the message sent

    Examples:
      | extensions           |
      | PIPELINING           |
      | PIPELINING, 8BITMIME |

  Scenario: A header line over 998 bytes is folded at its own whitespace
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "long-header.eml"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 2176 bytes\nFolded long header lines: 1.\n\0
      """
    And every line 127.0.0.2 received fits in 1000 bytes
    And the header "References" of the message 127.0.0.2 received unfolds to the one sent
    And 127.0.0.2 received the parts "" recoded to quoted-printable, and every other part as it was sent

  Scenario: Folded and recoded, both said
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "long-header.eml"
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\nFolded long header lines: 1.\n\0"
    And every line 127.0.0.2 received fits in 1000 bytes
    And the header "References" of the message 127.0.0.2 received unfolds to the one sent
    And the message 127.0.0.2 received decodes, part for part, to the message sent

  Scenario Outline: With CHUNKING a line over 998 bytes is recoded too, and goes after DATA
    Given the mail exchanger on 127.0.0.2 announces "<extensions>"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "long-line.eml"
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\n\0"
    And the client said "DATA" to 127.0.0.2
    And 127.0.0.2 received the parts "1" recoded to quoted-printable, and every other part as it was sent
    And the message 127.0.0.2 received decodes, part for part, to the message sent

    Examples:
      | extensions                     |
      | PIPELINING, CHUNKING           |
      | PIPELINING, CHUNKING, 8BITMIME |

  Scenario: With CHUNKING and 8BITMIME, 8-bit data goes in BDAT as it is, announced
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, CHUNKING, 8BITMIME"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "multipart-8bit.eml"
    Then the reports end with "\nSent with BDAT, chunks: 1.\n\0"
    And the client said "MAIL FROM:<alice@sender.test> BODY=8BITMIME" to 127.0.0.2
    And 127.0.0.2 received the parts "" recoded to quoted-printable, and every other part as it was sent

  Scenario: With CHUNKING and without 8BITMIME, 8-bit text is recoded and goes after DATA, not in BDAT
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, CHUNKING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nd\xe9j\xe0 vu\n"
    Then the reports end with "\nRecoded to quoted-printable, parts: 1.\n\0"
    And the client said "MAIL FROM:<alice@sender.test>" to 127.0.0.2
    And the client said "DATA" to 127.0.0.2
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: x\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nd=E9j=E0 vu\r\n"

  Scenario: Parts already encoded are never encoded twice, stray 8-bit bytes and all
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the message file "encoded.eml"
    Then the reports end with " bytes\n\0"
    And 127.0.0.2 received the parts "" recoded to quoted-printable, and every other part as it was sent

  Scenario: 8-bit bytes only in a header: nothing to recode, the bytes go as classic qmail sends them
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: caf\xe9\n\nseven bits\n"
    Then the reports are:
      """
      r\0
      K127.0.0.2 accepted message.\nRemote host said: 250 2.0.0 ok 29 bytes\n\0
      """
    And 127.0.0.2 received a message from "alice@sender.test" to "bob@example.test" with the data "Subject: caf\xe9\r\n\r\nseven bits\r\n"

  Scenario: A recoded message with a partial final line still bounces, and nothing is delivered
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test" the bytes "Subject: x\n\nd\xe9j\xe0 vu"
    Then the report is "r\0DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n\0"
    And 127.0.0.2 received no message
