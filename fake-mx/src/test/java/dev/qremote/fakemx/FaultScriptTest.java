package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The script features of the fault matrix (dribble, an extra line after a reply, the Nth command, the
 * CONTENT step, TLS-HANDSHAKE actions, QUIT), each over a real socket.
 */
@ExtendWith(FakeMxExtension.class)
class FaultScriptTest {

    /** A raw client: bytes out, and whatever one read() returns, so tests see how replies were split. */
    private static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Raw(SmtpServer server) throws IOException {
            socket = new Socket(server.address().getAddress(), server.address().getPort());
            socket.setSoTimeout(3000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Reads until {@code expected} bytes arrived (or the end); the count of read() calls it took. */
        String readUntil(String end) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                got.write(c);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        /** One read(): what had arrived by then. */
        String readOnce() throws IOException {
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        }

        /** Everything until the server closes, or "" after a quiet second. */
        String rest() throws IOException {
            socket.setSoTimeout(1000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                in.transferTo(got);
            } catch (SocketTimeoutException quiet) {
                // nothing more
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final String GREETING = "220 mx.fake.test ESMTP fake-mx\r\n";
    private static final String EHLO = "250-mx.fake.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n";

    @Test
    void dribbleWritesOneByteAtATime(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on EHLO dribble 20 standard"));
        try (Raw c = new Raw(server)) {
            assertThat(c.readUntil("\r\n")).isEqualTo(GREETING);
            c.send("EHLO client.test\r\n");
            assertThat(c.readOnce()).as("the first read gets the first byte alone").isEqualTo("2");
            assertThat("2" + c.readUntil("8BITMIME\r\n")).isEqualTo(EHLO);
            c.send("QUIT\r\n");
            assertThat(c.readOnce()).as("QUIT is not dribbled").isEqualTo("221 2.0.0 bye\r\n");
        }
    }

    @Test
    void anExtraLineGoesInTheSameWriteAndTheStateFollowsTheRealReply(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on MAIL standard then raw 250 2.0.0 extra\\r\\n"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("HELO c\r\n");
            c.readUntil("\r\n");
            c.send("MAIL FROM:<a@b>\r\n");
            assertThat(c.readUntil("extra\r\n")).isEqualTo("250 2.1.0 sender ok\r\n250 2.0.0 extra\r\n");
            c.send("RCPT TO:<c@d>\r\n");
            assertThat(c.readUntil("\r\n")).as("MAIL counted as accepted").isEqualTo("250 2.1.5 recipient ok\r\n");
        }
    }

    /** Reply and raw texts go as written, byte for byte: runs of blanks and bytes above 127 kept (fresh7 L7). */
    @Test
    void replyAndRawTextsAreSentByteForByte(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on MAIL reply 250 ok  two  spaces   \u00e9\non RCPT raw 250  a\tb\\r\\n"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("HELO c\r\n");
            c.readUntil("\r\n");
            c.send("MAIL FROM:<a@b>\r\n");
            assertThat(c.readUntil("\r\n")).isEqualTo("250 ok  two  spaces   \u00e9\r\n");
            c.send("RCPT TO:<c@d>\r\n");
            assertThat(c.readUntil("\r\n")).isEqualTo("250  a\tb\r\n");
        }
    }

    @Test
    void theNthCommandOnly(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on RCPT #2 reply 452 4.5.3 too many"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@d>\r\nRCPT TO:<y@d>\r\nRCPT TO:<z@d>\r\nQUIT\r\n");
            assertThat(c.rest()).isEqualTo("250 mx.fake.test\r\n250 2.1.0 sender ok\r\n250 2.1.5 recipient ok\r\n"
                    + "452 4.5.3 too many\r\n250 2.1.5 recipient ok\r\n221 2.0.0 bye\r\n");
        }
    }

    private static String envelope() {
        return "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n";
    }

    private static String lines(int count) {
        return "x".repeat(62).concat("\r\n").repeat(count); // 64 bytes a line
    }

    @Test
    void contentActsWhileTheMessageComesInAndTheDotIsAnsweredAsUsual(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on CONTENT reply 451 4.3.0 early"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send(envelope());
            c.readUntil("354 go ahead\r\n");
            c.send(lines(15)); // 960 bytes: not yet
            c.send(lines(1));
            assertThat(c.readUntil("\r\n")).as("before the dot").isEqualTo("451 4.3.0 early\r\n");
            c.send(lines(1) + ".\r\nQUIT\r\n");
            assertThat(c.rest()).isEqualTo("250 2.0.0 ok 1088 bytes\r\n221 2.0.0 bye\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.repliesAfterMessage()).containsExactly("250 2.0.0 ok 1088 bytes");
    }

    @Test
    void contentCloseEndsTheSessionMidMessage(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on CONTENT close"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send(envelope());
            c.readUntil("354 go ahead\r\n");
            c.send(lines(20));
            assertThat(c.rest()).isEmpty();
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.repliesAfterMessage()).as("the message was never complete").isEmpty();
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void aShortMessageNeverReachesContent(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on CONTENT close"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send(envelope() + "short\r\n.\r\n");
            assertThat(c.readUntil("bytes\r\n")).endsWith("250 2.0.0 ok 7 bytes\r\n");
        }
    }

    @Test
    void theReplyAfterTheDotIsRecordedEvenWhenItIsNotAReply(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on MESSAGE dribble 1 raw 354 again\\r\\n"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send(envelope() + "hi\r\n.\r\n");
            c.readUntil("again\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.repliesAfterMessage()).containsExactly("354 again");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void aCloseAfterTheDotIsRecordedAsNoReply(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on MESSAGE close"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send(envelope() + "hi\r\n.\r\n");
            c.rest();
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.repliesAfterMessage()).containsExactly("");
    }

    private static String chunking() {
        return "extensions PIPELINING, CHUNKING\n";
    }

    @Test
    void theFirstChunkDribbledAndKept(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse(chunking() + "on BDAT #1 dribble 1 standard"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
            c.readUntil("recipient ok\r\n");
            c.send("BDAT 4\r\nab\r\n");
            String whole = "250 2.0.0 4 octets received\r\n";
            String first = c.readOnce(); // a byte at a time: the first read cannot hold the whole reply
            assertThat(first.length()).isLessThan(whole.length());
            assertThat(whole).startsWith(first);
            assertThat(c.readUntil("received\r\n")).isEqualTo(whole.substring(first.length()));
            c.send("BDAT 3 LAST\r\ncd\n");
            assertThat(c.readUntil("bytes\r\n")).isEqualTo("250 2.0.0 ok 7 bytes\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages().get(0).dataText()).isEqualTo("ab\r\ncd\n");
        assertThat(server.repliesAfterMessage()).containsExactly("250 2.0.0 ok 7 bytes");
    }

    @Test
    void theLastChunkWithTheWrongCode(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse(chunking() + "on BDAT ~LAST reply 350 2.0.0 what"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 2\r\nabBDAT 2 LAST\r\ncd");
            assertThat(c.readUntil("what\r\n")).endsWith("250 2.0.0 2 octets received\r\n350 2.0.0 what\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages()).isEmpty();
        assertThat(server.repliesAfterMessage()).containsExactly("350 2.0.0 what");
    }

    @Test
    void aCloseAtTheLastChunkComesAfterItsBytes(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse(chunking() + "on BDAT ~LAST close"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 2 LAST\r\nab");
            assertThat(c.rest()).endsWith("250 2.1.5 recipient ok\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.repliesAfterMessage()).as("complete, then closed without a word").containsExactly("");
    }

    @Test
    void silenceEndsWhenTheClientHangsUp(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on EHLO delay 20000 standard"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("EHLO c\r\nMAIL FROM:<a@b>\r\n"); // pipelined: the hang-up comes behind a command
            Thread.sleep(200);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(3))).as("the session ended long before 20 s").isTrue();
        assertThat(server.transcripts().get(0).render()).contains("-- the client hung up while the server was silent");
    }

    @Test
    void silenceHoldsWhileTheClientWaits(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on EHLO delay 400 standard"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            long start = System.nanoTime();
            c.send("EHLO c\r\nNOOP\r\n");
            assertThat(c.readUntil("8BITMIME\r\n")).isEqualTo(EHLO);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
            assertThat(c.readUntil("\r\n")).as("what came during the silence is read after it").isEqualTo("250 2.0.0 ok\r\n");
        }
    }

    @Test
    void quitCanBeScripted(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on QUIT reply 500 5.5.1 no"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("QUIT\r\n");
            assertThat(c.rest()).as("the session ends after QUIT whatever the reply").isEqualTo("500 5.5.1 no\r\n");
        }
    }

    private static final TestCertificates CA = TestCertificates.create(KeyKind.ECDSA);

    private static SmtpScript tls(String rule) {
        SmtpScript.Builder b = SmtpScript.builder().starttls(CA.leaf("mx.fake.test"));
        ScriptFile.addTo(b, rule);
        return b.build();
    }

    @Test
    void bytesInsteadOfTheHandshake(SmtpServer server) throws Exception {
        server.script(tls("on TLS-HANDSHAKE raw 554 no TLS after all\\r\\n"));
        try (Raw c = new Raw(server)) {
            c.readUntil("\r\n");
            c.send("EHLO c\r\n");
            c.readUntil("STARTTLS\r\n");
            c.send("STARTTLS\r\n");
            assertThat(c.rest()).isEqualTo("220 2.0.0 ready to start TLS\r\n554 no TLS after all\r\n");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.transcripts().get(0).render()).contains("-- closed instead of the TLS handshake");
    }

    @Test
    void anExtraLineRightAfterTheHandshake(SmtpServer server) throws Exception {
        server.script(tls("on TLS-HANDSHAKE standard then raw 250 2.0.0 extra\\r\\n"));
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("STARTTLS");
            c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
            assertThat(c.reply()).as("before the client said anything inside TLS").isEqualTo("250 2.0.0 extra");
            assertThat(c.command("EHLO c")).startsWith("250-mx.fake.test");
        }
    }

    @Test
    void aStalledHandshake(SmtpServer server) throws Exception {
        server.script(tls("on TLS-HANDSHAKE delay 300 standard"));
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("STARTTLS");
            long start = System.nanoTime();
            c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(c.command("EHLO c")).startsWith("250-mx.fake.test");
        }
    }

    @Test
    void scriptLinesThatDoNotParse() {
        assertThatThrownBy(() -> ScriptFile.parse("on RCPT #0 reply 250 ok"))
                .hasMessageContaining("script line 1");
        assertThatThrownBy(() -> ScriptFile.parse("on RCPT close now")).hasMessageContaining("unexpected now");
        assertThatThrownBy(() -> ScriptFile.parse("on RCPT dribble x standard")).hasMessageContaining("script line 1");
    }
}
