package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.attemptlog.JsonParser;
import dev.qremote.sender.message.MessageSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * control/deliverylog against fake-mx over loopback: one JSON line per attempt with what the attempt did
 * (TLS and what was verified, AUTH's mechanism but never its secret, every reply code, bytes), a line per MX
 * tried, a kept session marked reused, a rotated file replaced, and a log that cannot be written leaving the
 * reports as they were.
 */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class DeliveryLogTest {
    private static final String K = "r\0K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 5 bytes\n\0";

    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private FakeDnsServer dns;
    private SmtpServer mx;
    private Path log;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws Exception {
        this.dns = dns;
        this.mx = mx;
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.createDirectories(home.resolve("log"));
        Files.writeString(home.resolve("control/deliverylog"), "log/delivery.json\n");
        log = home.resolve("log/delivery.json");
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
    }

    @AfterEach
    void tearDown() {
        context.deliveryLog.close();
    }

    @Test
    void aPlainDeliveryLogsOneLineWithItsFields() throws Exception {
        assertThat(deliver()).isEqualTo(K);
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(1);
        Map<String, Object> line = lines.get(0);
        assertThat(line).containsEntry("host", "example.test").containsEntry("attempt", 1L)
                .containsEntry("mx", "mx1.example.test").containsEntry("address", "127.0.0.1")
                .containsEntry("port", (long) context.port).containsEntry("reused", false)
                .containsEntry("tls", null).containsEntry("cipher", null).containsEntry("verified", null)
                .containsEntry("tls_failure", null).containsEntry("auth", null)
                .containsEntry("sender", "a@sender.test").containsEntry("recipients", List.of("b@example.test"))
                .containsEntry("outcome", "done").containsEntry("letter", "K")
                .containsEntry("report", "127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 5 bytes\n");
        assertThat((String) line.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
        assertThat(replies(line)).containsExactly("greeting 220", "EHLO 250", "MAIL 250", "RCPT 250", "DATA 354",
                "the message 250", "QUIT 221");
        // EHLO, MAIL, RCPT, DATA, the message with its dot, QUIT: every byte the socket took
        int expected = ("EHLO sender.test\r\n" + "MAIL FROM:<a@sender.test>\r\n" + "RCPT TO:<b@example.test>\r\n"
                + "DATA\r\n" + "Hi.\r\n.\r\n" + "QUIT\r\n").length();
        assertThat(line.get("bytes")).as(line.toString()).isEqualTo((long) expected);
        assertThat((Long) line.get("ms")).isNotNegative();
    }

    @Test
    void startTlsShowsTheProtocolTheCipherAndThatNothingWasVerified() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        mx.script(SmtpScript.builder().starttls(ca.leaf("mx1.example.test")).build());
        assertThat(deliver()).startsWith("r\0K127.0.0.1 TLS transmitted message accepted.");
        Map<String, Object> line = lines(log).get(0);
        assertThat(line).containsEntry("tls", "TLSv1.3").containsEntry("verified", "none")
                .containsEntry("tls_failure", null);
        assertThat((String) line.get("cipher")).startsWith("TLS_");
        assertThat(replies(line)).containsSubsequence("EHLO 250", "STARTTLS 220", "EHLO 250", "MAIL 250");
    }

    /** fresh9 L1: the printed K ended with the fallback note, the logged report did not. */
    @Test
    void thePlaintextRetryLogsTheReportAsPrintedWithItsNote() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        mx.script(SmtpScript.builder().starttls(ca.leaf("mx1.example.test"))
                .on("TLS-HANDSHAKE", new dev.qremote.fakemx.Action.Close()).build());
        String printed = deliver();
        assertThat(printed).endsWith("STARTTLS failed, so the message went without TLS (RFC 7435).\n\0");
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).containsEntry("letter", "K")
                .containsEntry("report", printed.substring(printed.indexOf('K') + 1, printed.length() - 1));
    }

    @Test
    void daneShowsThatTheTlsaRecordWasVerified() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        IssuedCertificate certificate = ca.selfSigned("mx1.example.test");
        publishSigned(certificate.tlsaData(3, 1, 1));
        mx.script(SmtpScript.builder().starttls(certificate).build());
        assertThat(deliver()).startsWith("r\0K127.0.0.1 TLS (TLSA validated) transmitted message accepted.");
        assertThat(lines(log).get(0)).containsEntry("verified", "dane").containsEntry("tls", "TLSv1.3");
    }

    @Test
    void aDaneMismatchIsLoggedAsTheTlsFailure() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        publishSigned(ca.selfSigned("other.example.test").tlsaData(3, 1, 1));
        mx.script(SmtpScript.builder().starttls(ca.selfSigned("mx1.example.test")).build());
        String report = deliver();
        assertThat(report).startsWith("Z");
        Map<String, Object> line = lines(log).get(0);
        assertThat(line).containsEntry("tls_failure", "dane-mismatch").containsEntry("outcome", "next")
                .containsEntry("letter", "Z").containsEntry("tls", null);
    }

    @Test
    void authShowsTheMechanismAndNeverTheSecret() throws Exception {
        mx.script(SmtpScript.builder().user("alice", "s3cret").authMechanisms("PLAIN").build());
        Files.writeString(home.resolve("control/authsenders"),
                "a@sender.test:[127.0.0.1];" + context.port + "|alice|s3cret\n");
        assertThat(deliver()).startsWith("r\0K127.0.0.1 accepted message.");
        assertThat(lines(log).get(0)).containsEntry("auth", "PLAIN");
        assertThat(replies(lines(log).get(0))).contains("AUTH 235");
        String text = Files.readString(log);
        assertThat(text).doesNotContain("s3cret")
                .doesNotContain(Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.US_ASCII)))
                .doesNotContain("Hi.");
    }

    @Test
    void anMxFallbackLogsBothAttempts() throws Exception {
        // mx1 on 127.0.0.2, where nothing listens on the port: refused; mx2 takes the message
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.2")
                .mx("example", 20, "mx2.example").a("mx2.example", "127.0.0.1"));
        assertThat(deliver()).isEqualTo(K);
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("attempt", 1L).containsEntry("mx", "mx1.example.test")
                .containsEntry("address", "127.0.0.2").containsEntry("outcome", "no-connection")
                .containsEntry("letter", null).containsEntry("bytes", 0L).containsEntry("replies", List.of());
        assertThat(lines.get(1)).containsEntry("attempt", 2L).containsEntry("mx", "mx2.example.test")
                .containsEntry("outcome", "done").containsEntry("letter", "K");
    }

    /** A delivery deferred because no mail exchanger answered: its Z is in the log, for "which domains defer". */
    @Test
    void aDeliveryNoMailExchangerTookEndsWithItsOwnLineAndItsLetter() throws Exception {
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.2"));
        assertThat(deliver()).startsWith("Z");
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("outcome", "no-connection").containsEntry("letter", null);
        assertThat(lines.get(1)).containsEntry("attempt", 0L).containsEntry("outcome", "gave-up")
                .containsEntry("letter", "Z").containsEntry("host", "example.test");
    }

    /** A domainips address qmail-remote cannot use defers before any attempt: that too is logged. */
    @Test
    void aBrokenDomainipsIsLoggedAsNoAttempt() throws Exception {
        Files.writeString(home.resolve("control/domainips"), "*:999.1.1.1\n");
        assertThat(deliver()).startsWith("ZInvalid ipaddr in control/domainips");
        assertThat(lines(log)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("outcome", "no-attempt").containsEntry("letter", "Z"));
    }

    @Test
    void aDeliveryThatTriesNoMailExchangerLogsOneLineWithoutAnAddress() throws Exception {
        String report = Printed.of(new DeliveryEngine(context).deliver(DeliveryRequest.of("missing.test",
                "a@sender.test", List.of("b@missing.test"), MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.US_ASCII)))));
        assertThat(report).startsWith("D");
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).containsEntry("host", "missing.test").containsEntry("attempt", 0L)
                .containsEntry("mx", null).containsEntry("address", null).containsEntry("outcome", "no-attempt")
                .containsEntry("letter", "D").containsEntry("report", report.substring(1, report.length() - 1));
        assertThat(mx.connections()).isZero();
    }

    /**
     * A delivery cancelled while the server had not yet greeted: the delivery reports the cancel, and so does
     * its log, not the text of the connection the cancel cut ("connection died", which no server caused).
     */
    @Test
    void aCancelledDeliveryIsLoggedAsTheCancelThatDecidedIt() throws Exception {
        mx.script(SmtpScript.polite().toBuilder().greetingDelay(java.time.Duration.ofSeconds(20)).build());
        DeliveryRequest request = DeliveryRequest.of("example.test", "a@sender.test", List.of("b@example.test"),
                MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.US_ASCII)));
        Thread canceller = new Thread(() -> {
            try {
                while (mx.connections() == 0) {
                    Thread.sleep(5);
                }
                Thread.sleep(100);
                request.cancellation().cancel();
            } catch (InterruptedException e) {
                // the delivery ended first
            }
        });
        canceller.start();
        String report = Printed.of(new DeliveryEngine(context).deliver(request));
        canceller.interrupt();
        canceller.join();
        String cancelled = "Sorry, the delivery was cancelled before a mail exchanger took the message. (#4.3.0)\n";
        assertThat(report).isEqualTo("Z" + cancelled + "\0");
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.get("report")).isIn(null, cancelled));
        assertThat(lines.get(lines.size() - 1)).containsEntry("outcome", "cancelled").containsEntry("letter", "Z")
                .containsEntry("report", cancelled);
    }

    @Test
    void aKeptSessionIsLoggedAsReused() throws Exception {
        SessionCache cache = new SessionCache(context.timer, SessionCache.DEFAULT_LIMIT);
        context.sessionCache = cache;
        try {
            assertThat(deliver()).isEqualTo(K);
            assertThat(deliver()).isEqualTo(K);
        } finally {
            cache.close();
        }
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).extracting(l -> l.get("reused")).containsExactly(false, true);
        assertThat(replies(lines.get(1))).startsWith("MAIL 250").doesNotContain("RSET").contains("the message 250").doesNotContain("greeting 220");
    }

    @Test
    void aRotatedLogIsReplacedByANewFileAtTheNextDelivery() throws Exception {
        assertThat(deliver()).isEqualTo(K);
        Path rotated = home.resolve("log/delivery.json.1");
        Files.move(log, rotated); // logrotate's move, without create: the next line makes the file
        assertThat(deliver()).isEqualTo(K);
        assertThat(lines(rotated)).hasSize(1);
        assertThat(lines(log)).hasSize(1);
        Files.move(log, home.resolve("log/delivery.json.2"));
        Files.writeString(log, ""); // and with create
        assertThat(deliver()).isEqualTo(K);
        assertThat(lines(log)).hasSize(1);
        assertThat(lines(home.resolve("log/delivery.json.2"))).hasSize(1);
    }

    @Test
    void aLogThatCannotBeWrittenLeavesTheReportsByteIdentical() throws Exception {
        Files.delete(home.resolve("control/deliverylog"));
        String without = deliver();
        mx.script(SmtpScript.polite());
        Files.writeString(home.resolve("control/deliverylog"), "control/me/delivery.json\n"); // below a file
        assertThat(deliver()).isEqualTo(without).isEqualTo(K);
        Files.writeString(home.resolve("control/deliverylog"), "log\n"); // a directory
        assertThat(deliver()).isEqualTo(without);
        assertThat(home.resolve("control/me")).isRegularFile();
    }

    @Test
    void withoutTheControlFileNothingIsWritten() throws Exception {
        Files.delete(home.resolve("control/deliverylog"));
        assertThat(deliver()).isEqualTo(K);
        try (var files = Files.list(home.resolve("log"))) {
            assertThat(files).isEmpty();
        }
    }

    private void publishSigned(byte[] tlsa) throws Exception {
        FakeZone zone = FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1")
                .tlsa("_25._tcp.mx1.example", 3, 1, 1, tlsa);
        SignedHierarchy tree = SignedHierarchy.builder().zone(zone, Trust.SECURE).build();
        dns.replaceZones(tree.zones());
        Files.writeString(home.resolve("control/trustanchors"), tree.trustAnchor());
        context.dnssecAsConfigured = true;
    }

    private String deliver() {
        return Printed.of(new DeliveryEngine(context).deliver(DeliveryRequest.of("example.test", "a@sender.test",
                List.of("b@example.test"), MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.US_ASCII)))));
    }

    static List<Map<String, Object>> lines(Path file) throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            lines.add(JsonParser.object(text));
        }
        return lines;
    }

    @SuppressWarnings("unchecked")
    private static List<String> replies(Map<String, Object> line) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) line.get("replies")) {
            Map<String, Object> reply = (Map<String, Object>) o;
            out.add(reply.get("command") + " " + reply.get("code"));
        }
        return out;
    }
}
