package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each scripted behaviour driven over a raw socket, the way a hostile or sloppy client would. */
@ExtendWith(FakeMxExtension.class)
class SmtpServerTest {

    /** Sends {@code input} all at once, then reads until the server closes or goes quiet. */
    private static String converse(SmtpServer server, String input) throws IOException {
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(1500);
            OutputStream out = socket.getOutputStream();
            out.write(input.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server stopped talking
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static final String SESSION = "EHLO client.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\n"
            + "DATA\r\nSubject: x\r\n\r\n..dot\r\n.\r\nQUIT\r\n";

    @Test
    void thePoliteServer(SmtpServer server) throws Exception {
        assertThat(converse(server, SESSION)).isEqualTo("220 mx.fake.test ESMTP fake-mx\r\n"
                + "250-mx.fake.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n250 2.1.0 sender ok\r\n"
                + "250 2.1.5 recipient ok\r\n354 go ahead\r\n250 2.0.0 ok 20 bytes\r\n221 2.0.0 bye\r\n");
        server.awaitIdle(Duration.ofSeconds(2));
        ReceivedMessage m = server.messages().get(0);
        assertThat(m.mailFrom()).isEqualTo("a@b.test");
        assertThat(m.rcptTo()).containsExactly("c@d.test");
        assertThat(m.dataText()).as("dot-unstuffed").isEqualTo("Subject: x\r\n\r\n.dot\r\n");
        assertThat(m.pipelined()).as("everything was sent at once").isTrue();
        assertThat(server.transcripts().get(0).render()).contains("C: MAIL FROM:<a@b.test>\\r\\n");
    }

    @Test
    void repliesPerCommandAndArgument(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder()
                .on("RCPT", "bad@", Action.reply(550, "5.1.1 no such user", "5.1.1 really"))
                .build());
        String said = converse(server, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<bad@d>\r\nRCPT TO:<good@d>\r\nQUIT\r\n");
        assertThat(said).contains("550-5.1.1 no such user\r\n550 5.1.1 really\r\n250 2.1.5 recipient ok\r\n");
    }

    @Test
    void closeWithoutAReply(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().on("MAIL", new Action.Close()).build());
        assertThat(converse(server, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"))
                .isEqualTo("220 mx.fake.test ESMTP fake-mx\r\n250 mx.fake.test\r\n");
    }

    @Test
    void replyThenClose(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder()
                .on("GREETING", new Action.ThenClose(Action.reply(421, "4.3.2 busy"))).build());
        assertThat(converse(server, "HELO c\r\n")).isEqualTo("421 4.3.2 busy\r\n");
    }

    @Test
    void closeAfterTheFinalDotReceivesNothing(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().afterMessage(new Action.Close()).build());
        assertThat(converse(server, SESSION)).endsWith("354 go ahead\r\n");
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void heloOnlyAndGarbage(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().heloOnly()
                .on("NOOP", new Action.Raw("250-a\r\n550 b\r\n".getBytes(StandardCharsets.ISO_8859_1))).build());
        assertThat(converse(server, "EHLO c\r\nNOOP\r\nQUIT\r\n"))
                .contains("500 5.5.1 EHLO not understood\r\n250-a\r\n550 b\r\n221");
    }

    @Test
    void delays(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder()
                .on("NOOP", new Action.Delay(Duration.ofMillis(300), new Action.Standard())).build());
        long start = System.nanoTime();
        assertThat(converse(server, "NOOP\r\nQUIT\r\n")).contains("250 2.0.0 ok\r\n");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);
    }

    @Test
    void sizeLimitIsAnnouncedAndEnforced(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().sizeLimit(10).build());
        String said = converse(server, SESSION);
        assertThat(said).contains("250 SIZE 10\r\n").contains("552 5.3.4 message too big\r\n");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void oneCommandAtATimeIsNotPipelining(SmtpServer server) throws Exception {
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            readLine(in);
            for (String command : new String[] {"HELO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                readLine(in);
            }
            out.write("x\r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1));
            readLine(in);
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages()).singleElement().satisfies(m -> assertThat(m.pipelined()).isFalse());
    }

    @Test
    void scriptFiles(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse(String.join("\n",
                "# a greylisting server",
                "hostname grey.test",
                "extensions PIPELINING, AUTH PLAIN LOGIN",
                "on RCPT ~later@ reply 451 4.7.1 greylisted|4.7.1 come back later",
                "on DATA delay 10 reply 554 no thanks")));
        String said = converse(server, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<later@d>\r\nDATA\r\nQUIT\r\n");
        assertThat(said).contains("250-grey.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n")
                .contains("451-4.7.1 greylisted\r\n451 4.7.1 come back later\r\n")
                .contains("554 no thanks\r\n");
    }

    @Test
    void aSinkScriptKeepsNoMessages(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("sink\nextensions 8BITMIME"));
        String said = converse(server, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n");
        assertThat(said).contains("250 8BITMIME\r\n").contains("250 2.0.0 ok 4 bytes\r\n");
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages()).isEmpty();
    }

    private static void readLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            // skip to the end of the line
        }
    }

    @Test
    void bdatChunksAreAssembledAndParametersRecorded(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().extensions("PIPELINING", "CHUNKING", "8BITMIME", "SMTPUTF8").build());
        String said = converse(server, "EHLO c\r\nMAIL FROM:<a@b> BODY=8BITMIME SMTPUTF8\r\nRCPT TO:<c@d>\r\n"
                + "BDAT 7\r\nhello\r\nBDAT 6 LAST\r\n.a\r\n\r\nQUIT\r\n");
        assertThat(said).contains("250 2.0.0 7 octets received\r\n250 2.0.0 ok 13 bytes\r\n221");
        server.awaitIdle(Duration.ofSeconds(2));
        ReceivedMessage m = server.messages().get(0);
        assertThat(m.dataText()).as("no dot-unstuffing in BDAT").isEqualTo("hello\r\n.a\r\n\r\n");
        assertThat(m.mailParameters()).containsExactly("BODY=8BITMIME", "SMTPUTF8");
    }

    @Test
    void aBdatChunkCanBeRejected(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().on("BDAT", Action.reply(552, "5.3.4 chunk too big")).build());
        String said = converse(server, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 3 LAST\r\nabcQUIT\r\n");
        assertThat(said).contains("552 5.3.4 chunk too big\r\n221");
        assertThat(server.messages()).isEmpty();
    }

    /**
     * The interop bench starts each scenario's exchangers on port 25 right after the last scenario's closed:
     * close() returns once the port is free again.
     */
    @Test
    void theSamePortIsFreeAgainOnceClosed() throws Exception {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        SmtpServer first = SmtpServer.start(loopback, 0, SmtpScript.polite());
        int port = first.address().getPort();
        first.close();
        for (int i = 0; i < 200; i++) {
            SmtpServer again = SmtpServer.start(loopback, port, SmtpScript.polite());
            assertThat(converse(again, "QUIT\r\n")).startsWith("220 ");
            again.close();
        }
    }
}
