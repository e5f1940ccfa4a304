@beyond-classic
Feature: Reply discipline: a reply counts only for the command it answers
  Every reply is checked against the codes RFC 5321 4.3.2 allows for its command (a positive reply must
  be the exact code: 220 greeting, 250 EHLO/HELO/MAIL, 250 or 251 RCPT, 354 DATA, 250 after the final dot
  and to BDAT; failures are judged by their first digit). Input that arrives before the command it would
  answer was sent is not a reply. Either way the dialogue is out of step, and acting on it could claim a
  delivery that never happened: the message is deferred, never reported delivered. Only a 250 after the
  final dot is a K. Until MAIL FROM is accepted, a server that cannot take mail now (a 4xx or 5xx
  greeting, a 421, a lost connection, a protocol error) makes qmail-remote try the next address.

  Background:
    Given the control file "me" contains "sender.test"
    And the control file "timeoutremote" contains "2"
    And "example.test" has MX 10 "mx1.example.test"
    And "example.test" has MX 20 "mx2.example.test"
    And "mx1.example.test" has address 127.0.0.2
    And "mx2.example.test" has address 127.0.0.3
    And a mail exchanger listens on 127.0.0.2

  Scenario: A server that greets twice is out of step: never a K for the 354 it sends later
    Given the mail exchanger on 127.0.0.2 answers GREETING with the bytes "220 mx.example.test ESMTP\r\n220 mx.example.test ESMTP\r\n"
    And the mail exchanger on 127.0.0.2 answers MESSAGE with "554 5.7.1 rejected"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it sent a reply before I sent EHLO: not valid SMTP. (#4.4.2)\nRemote host said: 220 mx.example.test ESMTP\n\0
      """
    And 127.0.0.2 received no message

  Scenario: One line too many after the EHLO reply is not the reply to MAIL
    Given the mail exchanger on 127.0.0.2 answers EHLO with the bytes "250-mx\r\n250 PIPELINING\r\n250 extra\r\n"
    And the mail exchanger on 127.0.0.2 answers MESSAGE with "554 5.7.1 rejected"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it sent a reply before I sent MAIL: not valid SMTP. (#4.4.2)\nRemote host said: 250 extra\n\0
      """
    And the client did not say "MAIL FROM" to 127.0.0.2

  Scenario Outline: Only 250 after the final dot is success: <code> is a protocol error, and maybe delivered
    Given the mail exchanger on 127.0.0.2 answers MESSAGE with "<code> x"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but its reply to the message was not valid SMTP. Possible duplicate! (#4.4.2)\nRemote host said: <code> x\n\0
      """

    Examples:
      | code |
      | 354  |
      | 350  |
      | 300  |
      | 399  |
      | 220  |
      | 251  |

  Scenario: 350 to BDAT LAST is not success
    Given the mail exchanger on 127.0.0.2 announces "PIPELINING, CHUNKING"
    And the mail exchanger on 127.0.0.2 answers MESSAGE with "350 x"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but its reply to BDAT was not valid SMTP. Possible duplicate! (#4.4.2)\nRemote host said: 350 x\n\0
      """

  Scenario: A refusal that may answer another command is no bounce: the answer to QUIT shows the replies out of step
    Given the mail exchanger on 127.0.0.2 follows the script "extensions 8BITMIME ; on MAIL reply 553 5.1.8 bad sender then raw 250 2.0.0 extra\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\nRemote host said: 250 2.0.0 extra\n\0
      """

  Scenario: DATA pipelined after the recipients: a reply too many shifts the recipient's refusal, and DATA's answer shows it
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING ; on MAIL standard then raw 550 5.1.1 extra\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it did not refuse DATA after refusing every recipient: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\nRemote host said: 250 2.1.5 recipient ok\n\0
      """
    And 127.0.0.2 received no message

  Scenario: DATA pipelined after the sender: a server that refused the sender and still says 354 gets no QUIT as message text and no bounce
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING ; on MAIL reply 550 5.7.1 nope ; on DATA reply 354 go ahead"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it did not refuse DATA after refusing the sender: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\nRemote host said: 354 go ahead\n\0
      """
    And 127.0.0.2 received no message

  Scenario: DATA pipelined after the recipients: a server that refused every recipient and still says 354 gets no message and no bounce
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING ; on RCPT reply 550 5.1.1 no such user ; on DATA reply 354 go ahead"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but it did not refuse DATA after refusing every recipient: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\nRemote host said: 354 go ahead\n\0
      """
    And 127.0.0.2 received no message

  Scenario: DATA pipelined after the recipients: its refusal after every recipient refused is in step, and the recipient bounces
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING ; on RCPT reply 550 5.1.1 no such user"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0
      DGiving up on 127.0.0.2.\n\0
      """
    And the client said "DATA" to 127.0.0.2

  Scenario: After BDAT a hang-up instead of the answer to QUIT is no K: a reply too many could have passed for the last chunk's
    Given the control file "chunksizeremote" contains "32"
    And the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; on BDAT #1 standard then raw 250 2.0.0 queued as FAKE\r\n ; on MESSAGE close"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\n\0
      """

  Scenario: QUIT answered with anything but 221 or 421 after a 250 for the message: deferred, maybe delivered
    Given the mail exchanger on 127.0.0.2 answers QUIT with "250 2.0.0 ok"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\nRemote host said: 250 2.0.0 ok\n\0
      """

  Scenario: A server that hangs up instead of answering QUIT still delivered the message
    Given the mail exchanger on 127.0.0.2 closes the connection at QUIT
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.2 accepted message."

  Scenario: DATA must be answered 354: a 250 means the dialogue is out of step
    Given the mail exchanger on 127.0.0.2 answers DATA with "250 ok"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0
      ZConnected to 127.0.0.2 but its reply to DATA was not valid SMTP. (#4.4.2)\nRemote host said: 250 ok\n\0
      """
    And the client did not say "Subject:" to 127.0.0.2

  Scenario: A multi-line reply whose lines disagree is decided by its last line, and shown whole
    Given the mail exchanger on 127.0.0.2 answers RCPT with the bytes "250-2.1.5 fine\r\n550 5.1.1 not fine\r\n"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 250-2.1.5 fine\n550 5.1.1 not fine\n\0
      DGiving up on 127.0.0.2.\n\0
      """

  Scenario: 421 to EHLO: the server's reason is reported, and no HELO is said on a closing connection
    Given the mail exchanger on 127.0.0.2 answers EHLO with "421 4.3.2 too busy" and hangs up
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but my name was rejected.\nRemote host said: 421 4.3.2 too busy\n\0
      """
    And the client did not say "HELO" to 127.0.0.2

  Scenario Outline: <what> before MAIL FROM is accepted: the next MX takes the message
    Given a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 <fault>
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.2 received no message
    And 127.0.0.3 received a message from "alice@sender.test" to "bob@example.test"

    Examples:
      | what                       | fault                                                                 |
      | A 421 greeting             | answers GREETING with "421 4.3.2 too busy" and hangs up               |
      | A 450 greeting             | answers GREETING with "450 4.7.1 come back later"                     |
      | A 554 greeting             | answers GREETING with "554 5.7.1 no mail from you"                    |
      | A greeting that is no SMTP | answers GREETING with the bytes "HTTP/1.1 400 Bad Request\r\n"        |
      | A 421 to EHLO              | answers EHLO with "421 4.3.2 too busy" and hangs up                   |
      | A hang-up at EHLO          | closes the connection at EHLO                                         |
      | Silence at EHLO            | waits 4 seconds before answering EHLO                                 |
      | A 421 to MAIL              | answers MAIL with "421 4.3.2 shutting down" and hangs up              |
      | A hang-up at MAIL          | closes the connection at MAIL                                         |

  Scenario: A 421 to STARTTLS: the next MX takes the message
    Given a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 offers STARTTLS with a certificate for "mx1.example.test"
    And the mail exchanger on 127.0.0.2 answers STARTTLS with "421 4.3.2 no TLS today" and hangs up
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the message report starts with "r\0K127.0.0.3 accepted message."
    And 127.0.0.2 received no message

  Scenario: A 5xx greeting and no other MX: the classic report, as a temporary failure
    Given the mail exchanger on 127.0.0.2 answers GREETING with "554 5.7.1 no mail from you"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but greeting failed.\nRemote host said: 554 5.7.1 no mail from you\n\0
      """

  Scenario: Once MAIL FROM is accepted the outcome is final: a hang-up then is not tried elsewhere
    Given a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 closes the connection at RCPT
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      ZConnected to 127.0.0.2 but connection died. (#4.4.2)\n\0
      """
    And 127.0.0.3 saw 0 connections

  Scenario: A refused recipient is final too: the next MX is not asked
    Given a mail exchanger listens on 127.0.0.3
    And the mail exchanger on 127.0.0.2 answers RCPT with "550 5.1.1 no such user"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      h127.0.0.2 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0
      DGiving up on 127.0.0.2.\n\0
      """
    And 127.0.0.3 saw 0 connections

  Scenario: A chunk taken after a refused one is no bounce: the LAST chunk went, so the message may be in
    Given the control file "chunksizeremote" contains "40"
    And the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; on BDAT #1 reply 554 5.7.1 chunk refused ; on BDAT #2 reply 250 2.0.0 ok"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0ZConnected to 127.0.0.2 but its reply to BDAT was not valid SMTP. Possible duplicate! (#4.4.2)\nRemote host said: 250 2.0.0 ok\n\0
      """

  Scenario: A server that refuses a chunk answers the rest 503 (RFC 3030 2): the refusal stands
    Given the control file "chunksizeremote" contains "40"
    And the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; on BDAT #1 reply 554 5.7.1 chunk refused"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0D127.0.0.2 failed on DATA command.\nRemote host said: 554 5.7.1 chunk refused\n\0
      """
    And 127.0.0.2 received no message

  @per-process
  Scenario: After BDAT a 421 instead of QUIT's 221 is no witness: it may be the late answer to BDAT LAST
    Given the mail exchanger on 127.0.0.2 follows the script "extensions PIPELINING, CHUNKING ; on QUIT reply-close 421 4.3.2 closing"
    When qmail-remote delivers to "example.test" from "alice@sender.test" to "bob@example.test"
    Then the reports are:
      """
      r\0ZConnected to 127.0.0.2 but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\nRemote host said: 421 4.3.2 closing\n\0
      """

