package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each AUTH mechanism over a raw socket, the scripted AUTH replies, and credentials kept out of transcripts. */
@ExtendWith(FakeMxExtension.class)
class AuthTest {
    private static final String USER = "alice";
    private static final String SECRET = "s3cret-pa55";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static LineClient connect(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().user(USER, SECRET).build());
        LineClient c = new LineClient(server.address());
        c.reply();
        assertThat(c.command("EHLO client.test")).contains("250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 SCRAM-SHA-256");
        return c;
    }

    private static void authenticatedMessage(SmtpServer server, LineClient c) throws Exception {
        c.command("MAIL FROM:<a@b>");
        c.command("RCPT TO:<c@d>");
        c.command("DATA");
        c.command("x\r\n.");
        c.command("QUIT");
        c.close();
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages().get(0).authenticatedUser()).isEqualTo(USER);
        String transcript = server.transcripts().get(0).render();
        assertThat(transcript).doesNotContain(SECRET).doesNotContain(b64("\0" + USER + "\0" + SECRET))
                .contains("authenticated as alice");
    }

    @Test
    void plainWithInitialResponse(SmtpServer server) throws Exception {
        LineClient c = connect(server);
        assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + SECRET))).startsWith("235 ");
        authenticatedMessage(server, c);
        assertThat(server.transcripts().get(0).render()).contains("C: AUTH PLAIN [redacted]\\r\\n");
    }

    @Test
    void plainAfterAChallenge(SmtpServer server) throws Exception {
        LineClient c = connect(server);
        assertThat(c.command("AUTH PLAIN")).isEqualTo("334 ");
        assertThat(c.command(b64("\0" + USER + "\0" + SECRET))).startsWith("235 ");
        authenticatedMessage(server, c);
    }

    @Test
    void login(SmtpServer server) throws Exception {
        LineClient c = connect(server);
        assertThat(c.command("AUTH LOGIN")).isEqualTo("334 " + b64("Username:"));
        assertThat(c.command(b64(USER))).isEqualTo("334 " + b64("Password:"));
        assertThat(c.command(b64(SECRET))).startsWith("235 ");
        authenticatedMessage(server, c);
    }

    @Test
    void cramMd5(SmtpServer server) throws Exception {
        LineClient c = connect(server);
        String challenge = c.command("AUTH CRAM-MD5");
        assertThat(challenge).startsWith("334 ");
        String nonce = new String(Base64.getDecoder().decode(challenge.substring(4)), StandardCharsets.US_ASCII);
        assertThat(nonce).startsWith("<").endsWith("@mx.fake.test>");
        String digest = HexFormat.of().formatHex(Authenticator.hmacMd5(SECRET, nonce));
        assertThat(c.command(b64(USER + " " + digest))).startsWith("235 ");
        authenticatedMessage(server, c);
    }

    @Test
    void xoauth2(SmtpServer server) throws Exception {
        LineClient c = connect(server);
        assertThat(c.command("AUTH XOAUTH2 " + b64("user=" + USER + "\u0001auth=Bearer " + SECRET + "\u0001\u0001")))
                .startsWith("235 ");
        authenticatedMessage(server, c);
    }

    @Test
    void wrongPasswordAndCancel(SmtpServer server) throws Exception {
        try (LineClient c = connect(server)) {
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong"))).startsWith("535 5.7.8");
            assertThat(c.command("AUTH LOGIN")).startsWith("334 ");
            assertThat(c.command("*")).startsWith("535 ");
            assertThat(c.command("AUTH DIGEST-MD5")).startsWith("504 ");
        }
    }

    @Test
    void scriptedAuthReplies(SmtpServer server) throws Exception {
        for (String reply : new String[] {"432 4.7.12 A password transition is needed", "454 4.7.0 Temporary authentication failure",
            "534 5.7.9 Authentication mechanism is too weak", "538 5.7.11 Encryption required for requested authentication mechanism"}) {
            int code = Integer.parseInt(reply.substring(0, 3));
            server.script(SmtpScript.builder().user(USER, SECRET).on("AUTH", Action.reply(code, reply.substring(4))).build());
            try (LineClient c = new LineClient(server.address())) {
                c.reply();
                c.command("EHLO client.test");
                assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + SECRET))).isEqualTo(reply);
            }
        }
    }

    @Test
    void aUtf8PasswordIsComparedByteForByte(SmtpServer server) throws Exception {
        server.script(SmtpScript.builder().user("jos\u00e9", "p\u00e9w").build());
        LineClient c = new LineClient(server.address());
        c.reply();
        c.command("EHLO client.test");
        byte[] twiceEncoded = "p\u00c3\u00a9w".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "p\u00e9w".getBytes(StandardCharsets.ISO_8859_1);
        byte[] invalid = {'p', (byte) 0xff, 'w'};
        for (byte[] wrong : new byte[][] {twiceEncoded, latin1, invalid}) {
            byte[] plain = ("\0jos\u00e9\0").getBytes(StandardCharsets.UTF_8);
            byte[] all = java.util.Arrays.copyOf(plain, plain.length + wrong.length);
            System.arraycopy(wrong, 0, all, plain.length, wrong.length);
            assertThat(c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(all))).startsWith("535 ");
        }
        assertThat(c.command("AUTH PLAIN " + b64("\0jos\u00e9\0p\u00e9w"))).startsWith("235 ");
        c.command("QUIT");
        c.close();
    }
}
