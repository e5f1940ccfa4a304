package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.QmtpScript;
import dev.qremote.fakemx.QmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.routing.Route;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A QMTP delivery against fake-mx's QMTP server in this JVM: reply codes K/Z/D as r/s/h, faults as Z. */
class QmtpDeliveryTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.RSA);
    private static final String OK = "All received okay by 127.0.0.1.\nRemote host said: ok 4 bytes\n";

    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private QmtpServer server;
    private java.util.Optional<Path> logTo = java.util.Optional.empty();

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        context.home = home;
        server = QmtpServer.start(InetAddress.getByName("127.0.0.1"), 0, QmtpScript.builder().build());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void qmtpCodesMapToRecipientReports() throws Exception {
        server.script(QmtpScript.builder().reply("busy", "Zmailbox busy").reply("gone", "Dno such user").build());
        assertThat(deliver(false, "ok@relay.test", "busy@relay.test", "gone@relay.test")).isEqualTo("r\0"
                + "s127.0.0.1 does not like recipient.\nRemote host said: mailbox busy\n\0"
                + "h127.0.0.1 does not like recipient.\nRemote host said: no such user\n\0"
                + "K" + OK + "\0");
        assertThat(server.messages()).singleElement().satisfies(m -> {
            assertThat(m.rcptTo()).containsExactly("ok@relay.test");
            assertThat(m.dataText()).isEqualTo("Hi.\n");
        });
    }

    @Test
    void noRecipientAcceptedGivesUpOnTheHost() throws Exception {
        server.script(QmtpScript.builder().reply("relay.test", "Dno").build());
        assertThat(deliver(false, "a@relay.test")).isEqualTo(
                "h127.0.0.1 does not like recipient.\nRemote host said: no\n\0DGiving up on 127.0.0.1.\n\0");
    }

    @Test
    void aDropBeforeTheRepliesIsAPossibleDuplicate() throws Exception {
        server.script(QmtpScript.builder().fault(QmtpScript.Fault.CLOSE_BEFORE_REPLIES).build());
        assertThat(deliver(false, "a@relay.test"))
                .isEqualTo("ZConnected to 127.0.0.1 but connection died. Possible duplicate! (#4.4.2)\n\0");
    }

    @Test
    void aDropAfterTheFirstReplyKeepsTheReportsAlreadyMade() throws Exception {
        server.script(QmtpScript.builder().fault(QmtpScript.Fault.CLOSE_AFTER_FIRST_REPLY).build());
        assertThat(deliver(false, "a@relay.test", "b@relay.test"))
                .isEqualTo("r\0ZConnected to 127.0.0.1 but connection died. Possible duplicate! (#4.4.2)\n\0");
    }

    @Test
    void garbageIsNoQmtp() throws Exception {
        server.script(QmtpScript.builder().fault(QmtpScript.Fault.GARBAGE).build());
        assertThat(deliver(false, "a@relay.test"))
                .isEqualTo("ZRecipient 127.0.0.1 did not talk proper QMTP. (#4.3.0)\n\0");
    }

    @Test
    void qmtpsSpeaksTlsFromTheFirstByte() throws Exception {
        server.script(QmtpScript.builder().tls(CA.leaf("relay.test")).build());
        assertThat(deliver(true, "a@relay.test")).isEqualTo("r\0K" + OK + "\0");
        assertThat(server.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isNotNull());
    }

    @Test
    void noServerIsNoQmtpConnection() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort(); // closed at once: nothing listens there afterwards
        }
        assertThat(deliver(false, port, "a@relay.test"))
                .isEqualTo("ZSorry, I wasn't able to establish an QMTP connection. (#4.4.1)\n\0");
    }

    /** control/deliverylog: one line per QMTP attempt, with the fields that apply (no SMTP replies). */
    @Test
    void eachQmtpAttemptWritesADeliveryLogLine() throws Exception {
        Path log = home.resolve("delivery.json");
        logTo = java.util.Optional.of(log);
        server.script(QmtpScript.builder().reply("busy", "Zmailbox busy").build());
        deliver(false, "ok@relay.test", "busy@relay.test");
        assertThat(DeliveryLogTest.lines(log)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("host", "relay.test").containsEntry("attempt", 1L).containsEntry("mx", "relay.test")
                .containsEntry("address", "127.0.0.1").containsEntry("port", (long) server.address().getPort())
                .containsEntry("protocol", "qmtp").containsEntry("tls", null).containsEntry("tls_failure", null)
                .containsEntry("replies", List.of()).containsEntry("bytes", 65L).containsEntry("outcome", "done")
                .containsEntry("letter", "K").containsEntry("report", OK)
                .containsEntry("recipients", List.of("ok@relay.test", "busy@relay.test")));
        Files.delete(log);
        server.script(QmtpScript.builder().tls(CA.leaf("relay.test")).build());
        deliver(true, "a@relay.test");
        assertThat(DeliveryLogTest.lines(log)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("protocol", "qmtp").containsEntry("verified", "none").containsEntry("letter", "K")
                .extractingByKey("tls").isNotNull());
    }

    /** No QMTP server: the attempt's line, then the delivery's own with its Z. */
    @Test
    void aQmtpDeliveryWithoutAConnectionLogsTheAttemptAndGivesUp() throws Exception {
        Path log = home.resolve("delivery.json");
        logTo = java.util.Optional.of(log);
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        deliver(false, port, "a@relay.test");
        assertThat(DeliveryLogTest.lines(log)).satisfiesExactly(
                line -> assertThat(line).containsEntry("attempt", 1L).containsEntry("protocol", "qmtp")
                        .containsEntry("outcome", "no-connection").containsEntry("letter", null),
                line -> assertThat(line).containsEntry("attempt", 0L).containsEntry("outcome", "gave-up")
                        .containsEntry("letter", "Z")
                        .containsEntry("report", "Sorry, I wasn't able to establish an QMTP connection. (#4.4.1)\n"));
    }

    private String deliver(boolean tls, String... recipients) throws Exception {
        return deliver(tls, server.address().getPort(), recipients);
    }

    private String deliver(boolean tls, int port, String... recipients) throws Exception {
        Controls controls = Controls.read(new ControlDirectory(home));
        DeliveryResult result = new QmtpDelivery(context, controls,
                Deadline.after(Clock.systemUTC(), Duration.ofSeconds(60))).loggedTo(logTo, "relay.test").deliver(
                        List.of(new Destination(0, "relay.test", InetAddress.getByName("127.0.0.1"), false)),
                        new Route.Qmtp("relay.test", port, tls), "a@sender.test", List.of(recipients),
                        dev.qremote.sender.message.MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)));
        server.awaitIdle(Duration.ofSeconds(5)); // the server may record the message after its last reply
        return Printed.of(result);
    }
}
