package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** QMTP packages over raw sockets: one reply per recipient, faults, and QMTPS. */
class QmtpServerTest {
    private QmtpServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] netstring(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write(',');
        return out.toByteArray();
    }

    private static byte[] netstring(String s) {
        return netstring(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] qmtpPackage(String message, String sender, String... recipients) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String r : recipients) {
            list.writeBytes(netstring(r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(netstring("\n" + message));
        out.writeBytes(netstring(sender));
        out.writeBytes(netstring(list.toByteArray()));
        return out.toByteArray();
    }

    private static List<String> replies(Socket socket, byte[] request, int expected) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = socket.getInputStream();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            replies.add(new String(Netstrings.read(in).orElseThrow(), StandardCharsets.ISO_8859_1));
        }
        return replies;
    }

    @Test
    void oneReplyPerRecipient() throws Exception {
        server = QmtpServer.start(InetAddress.getLoopbackAddress(), 0,
                QmtpScript.builder().reply("gone@", "Dno such user (#5.1.1)").reply("full@", "Zmailbox full (#4.2.2)").build());
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(3000);
            assertThat(replies(s, qmtpPackage("Subject: x\n\nhi\n", "a@b.test", "ok@c.test", "gone@c.test", "full@c.test"), 3))
                    .containsExactly("Kok 15 bytes", "Dno such user (#5.1.1)", "Zmailbox full (#4.2.2)");
            assertThat(replies(s, qmtpPackage("second\n", "", "ok2@c.test"), 1)).containsExactly("Kok 7 bytes");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages()).hasSize(2);
        assertThat(server.messages().get(0).rcptTo()).containsExactly("ok@c.test");
        assertThat(server.messages().get(0).dataText()).isEqualTo("Subject: x\n\nhi\n");
        assertThat(server.messages().get(1).mailFrom()).isEmpty();
    }

    @Test
    void faults() throws Exception {
        for (QmtpScript.Fault fault : new QmtpScript.Fault[] {QmtpScript.Fault.CLOSE_BEFORE_REPLIES,
            QmtpScript.Fault.CLOSE_AFTER_FIRST_REPLY, QmtpScript.Fault.GARBAGE}) {
            close();
            server = QmtpServer.start(InetAddress.getLoopbackAddress(), 0, QmtpScript.builder().fault(fault).build());
            try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                s.setSoTimeout(3000);
                s.getOutputStream().write(qmtpPackage("x\n", "a@b", "c@d", "e@f"));
                byte[] all = s.getInputStream().readAllBytes();
                String got = new String(all, StandardCharsets.ISO_8859_1);
                switch (fault) {
                    case CLOSE_BEFORE_REPLIES -> assertThat(got).isEmpty();
                    case CLOSE_AFTER_FIRST_REPLY -> assertThat(got).isEqualTo("11:Kok 2 bytes,");
                    default -> assertThat(got).startsWith("HTTP/1.0");
                }
            }
        }
    }

    @Test
    void qmtps() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        server = QmtpServer.start(InetAddress.getLoopbackAddress(), 0,
                QmtpScript.builder().tls(ca.leaf("mx.fake.test")).build());
        try (Socket s = IssuedCertificate.clientTrusting(ca.root()).getSocketFactory()
                .createSocket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(3000);
            assertThat(replies(s, qmtpPackage("x\n", "a@b", "c@d"), 1)).containsExactly("Kok 2 bytes");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.messages().get(0).tls()).isNotNull();
    }
}
