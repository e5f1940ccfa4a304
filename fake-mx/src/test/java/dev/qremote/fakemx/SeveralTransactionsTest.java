package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several mail transactions on one connection (RFC 5321 3.3), as a client that keeps its sessions sends
 * them: EHLO again after the final dot (4.1.4: it resets the state as RSET does), RSET, a second MAIL; and
 * scripts that act on the second message only.
 */
@ExtendWith(FakeMxExtension.class)
class SeveralTransactionsTest {
    private static final String EHLO = "250-mx.fake.test\n250-PIPELINING\n250 8BITMIME";

    @Test
    void twoMessagesOnOneConnectionWithEhloAndRsetBetween(SmtpServer server) throws Exception {
        try (LineClient c = new LineClient(server.address())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.test")).isEqualTo(EHLO);
            transaction(c, "first");
            assertThat(c.command("EHLO client.test")).as("the same answer after the dot").isEqualTo(EHLO);
            assertThat(c.command("RSET")).isEqualTo("250 2.0.0 ok");
            transaction(c, "second");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
        server.awaitIdle(Duration.ofSeconds(5));
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages()).extracting(ReceivedMessage::dataText)
                .containsExactly("first\r\n", "second\r\n");
        assertThat(server.messages()).extracting(m -> m.rcptTo().size()).as("recipients are per transaction")
                .containsExactly(1, 1);
        assertThat(server.repliesAfterMessage()).containsExactly("250 2.0.0 ok 7 bytes", "250 2.0.0 ok 8 bytes");
    }

    @Test
    void onNthMessageCountsTheMessagesOfTheSession(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().onNth("MESSAGE", 2, Action.reply(451, "4.3.0 second refused")).build());
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(transaction(c, "first")).startsWith("250 ");
            c.command("RSET");
            assertThat(transaction(c, "second")).isEqualTo("451 4.3.0 second refused");
        }
        server.awaitIdle(Duration.ofSeconds(5));
        assertThat(server.messages()).extracting(ReceivedMessage::dataText).containsExactly("first\r\n");
    }

    @Test
    void aMailWithoutRecipientsFromTheLastTransactionIsRefused(SmtpServer server) throws Exception {
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            transaction(c, "first");
            assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("250 ");
            assertThat(c.command("DATA")).as("the last transaction's recipients are gone")
                    .startsWith("554 ");
        }
    }

    /** MAIL, RCPT, DATA, the text and the dot; the reply to the dot. */
    private static String transaction(LineClient c, String text) throws Exception {
        assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("250 ");
        assertThat(c.command("RCPT TO:<" + text + "@d.test>")).startsWith("250 ");
        assertThat(c.command("DATA")).startsWith("354 ");
        c.send(text);
        return c.command(".");
    }
}
