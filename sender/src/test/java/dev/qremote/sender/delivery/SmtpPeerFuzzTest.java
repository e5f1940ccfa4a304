package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import com.code_intelligence.jazzer.api.SilentCloseable;
import dev.qremote.sender.fuzz.FuzzedRandom;
import dev.qremote.sender.fuzz.Loopback;
import dev.qremote.sender.fuzz.SeededRun;
import dev.qremote.sender.report.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target "smtp": the whole engine (DeliveryEngine over real loopback sockets, a route to the peer)
 * against a {@link ScriptedPeer} answering from a random script. The oracle: K only when the peer answered
 * the final dot (or BDAT LAST) with a well-formed 250; "Possible duplicate" only when the final dot (or BDAT
 * LAST) reached the peer; after a K, the peer holds the message as sent; an r only for a RCPT answered 250 or 251; an h only when the peer said something
 * starting with 5; r/h/s reports in argument order (all of them before a K), then one K/Z/D; every report
 * bounded and printable (bytes 32..126 and LF); never the unexpected-failure report; never an exception.
 */
@Tag("fuzz")
class SmtpPeerFuzzTest {
    /** The longest report any path may print (issue 12, 6e: names capped, every report bounded at 6 KiB). */
    static final int REPORT_BOUND = 6144;
    private static final String[] BODY_LINES = {"", "hello", ".", "..", ".x", "a.b", "X-Fuzz: body", "QUIT"};
    private static TestContext context;

    @FuzzTest(maxDuration = "10m")
    void smtp(FuzzedDataProvider data) throws Exception {
        check(new FuzzedRandom(data));
    }

    @Test
    void seededPass() {
        SeededRun.run("smtp", SmtpPeerFuzzTest::check, 3_000_000L, 100);
    }

    /**
     * The bench itself: a peer that answers everything properly gets the message, over DATA and BDAT, and
     * after a broken STARTTLS in plaintext, so the oracle above is never vacuously true.
     */
    @Test
    void aProperPeerGetsTheMessage() throws Exception {
        String message = ScriptedPeer.MARKER + "\n.dot\nend\n";
        for (boolean chunking : new boolean[] {false, true}) {
            for (boolean startTls : new boolean[] {false, true}) {
                Scenario scenario = new Scenario(2, true, chunking, startTls, 5, message, List.of());
                Path home = Files.createTempDirectory("smtp-fuzz");
                try (ScriptedPeer peer = new ScriptedPeer(List.of(), true, chunking, startTls)) {
                    DeliveryResult result = deliver(home, peer, scenario);
                    peer.close();
                    assertThat(render(result)).as(scenario.toString()).startsWith("r\0r\0K127.0.0.1 accepted message.");
                    assertThat(render(result)).as(scenario.toString())
                            .contains(startTls ? "STARTTLS failed" : "accepted").contains(chunking ? "BDAT" : "");
                    assertThat(new String(peer.message(), StandardCharsets.ISO_8859_1))
                            .isEqualTo(message.replace("\n", "\r\n"));
                } finally {
                    delete(home);
                }
            }
        }
    }

    /** One delivery's setting: what the peer offers, what it answers, and the message. */
    record Scenario(int recipients, boolean pipelining, boolean chunking, boolean startTls, int chunkSize,
            String message, List<ScriptedPeer.Step> script) {
        Scenario(int recipients, boolean pipelining, boolean chunking, int chunkSize, String message,
                List<ScriptedPeer.Step> script) {
            this(recipients, pipelining, chunking, false, chunkSize, message, script);
        }

        @Override
        public String toString() {
            return "recipients " + recipients + ", pipelining " + pipelining + ", chunking " + chunking
                    + ", starttls " + startTls
                    + ", chunksizeremote " + chunkSize + ", message " + message.replace("\n", "\\n") + ", script "
                    + script;
        }
    }

    static void check(RandomGenerator random) throws Exception {
        int recipients = 1 + random.nextInt(3);
        boolean pipelining = random.nextBoolean();
        boolean chunking = random.nextBoolean();
        boolean startTls = random.nextInt(4) == 0;
        int chunkSize = new int[] {0, 5, 64, 32768}[random.nextInt(4)];
        StringBuilder message = new StringBuilder(ScriptedPeer.MARKER + "\n");
        for (int i = 0, n = random.nextInt(12); i < n; i++) {
            message.append(BODY_LINES[random.nextInt(BODY_LINES.length)]).append('\n');
        }
        check(new Scenario(recipients, pipelining, chunking, startTls, chunkSize, message.toString(),
                ScriptedPeer.randomScript(random)));
    }

    /** Delivers once against a peer playing {@code scenario} and checks the oracle. */
    static void check(Scenario scenario) throws Exception {
        Path home = Files.createTempDirectory("smtp-fuzz");
        try (SilentCloseable permit = Loopback.only();
                ScriptedPeer peer = new ScriptedPeer(scenario.script(), scenario.pipelining(), scenario.chunking(),
                        scenario.startTls())) {
            DeliveryResult result = deliver(home, peer, scenario);
            peer.close();
            assertThat(peer.failure()).as("the peer itself").isNull();
            verify(result, scenario.recipients(), peer, scenario + "\npeer log:\n" + peer.log());
            if (result.messageReport().letter() == 'K') {
                assertThat(new String(peer.message(), StandardCharsets.ISO_8859_1))
                        .as(scenario + "\nthe message the peer received").isEqualTo(scenario.message().replace("\n", "\r\n"));
            }
        } finally {
            delete(home);
        }
    }

    private static DeliveryResult deliver(Path home, ScriptedPeer peer, Scenario scenario) throws IOException {
        control(home, "me", "sender.test");
        control(home, "smtproutes", "example.test:[127.0.0.1]");
        control(home, "timeoutremote", "1");
        control(home, "timeoutconnect", "1");
        control(home, "timeoutdns", "1");
        control(home, "dnssec", "off");
        control(home, "chunksizeremote", Integer.toString(scenario.chunkSize()));
        List<String> args = new ArrayList<>(List.of("example.test", "a@sender.test"));
        for (int i = 0; i < scenario.recipients(); i++) {
            args.add("r" + i + "@example.test");
        }
        synchronized (SmtpPeerFuzzTest.class) {
            TestContext c = context();
            c.home = home;
            c.port = peer.port();
            return new DeliveryEngine(c).deliver(TestRequests.of(args, new ByteArrayInputStream(scenario.message().getBytes(StandardCharsets.ISO_8859_1))));
        }
    }

    private static void verify(DeliveryResult result, int recipients, ScriptedPeer peer, String input) {
        String text = render(result);
        String what = input + "\nreports: " + text.replace("\0", "\\0").replace("\n", "\\n");
        Report message = result.messageReport();
        assertThat(message.text()).as(what).doesNotStartWith("Sorry, qmail-remote failed unexpectedly");
        assertThat(message.letter()).as(what).isIn('K', 'Z', 'D');
        List<Report> perRecipient = result.recipientReports();
        // recipient reports in argument order; fewer than all only before a Z or D (classic does the same when
        // the connection dies among the RCPTs, and qmail-rspawn takes the first K/Z/D as the result)
        assertThat(perRecipient).as(what).allMatch(Report::isRecipientReport).hasSizeLessThanOrEqualTo(recipients);
        if (perRecipient.size() < recipients) {
            assertThat(message.letter()).as(what).isIn('Z', 'D');
        }
        long accepted = perRecipient.stream().filter(r -> r.letter() == 'r').count();
        assertThat(accepted).as(what + "\nr without a 250 or 251 to RCPT")
                .isLessThanOrEqualTo(peer.recipientsAccepted() + peer.extraAcceptances());
        if (message.letter() == 'K') {
            assertThat(peer.finalAnswered250()).as(what + "\nK without a 250 to the final dot").isTrue();
            assertThat(perRecipient).as(what).anyMatch(r -> r.letter() == 'r');
        }
        if (text.contains("Possible duplicate")) {
            assertThat(peer.finalReceived() || peer.hardClosed())
                    .as(what + "\n'Possible duplicate' before the final dot").isTrue();
        }
        if (perRecipient.stream().anyMatch(r -> r.letter() == 'h')) {
            assertThat(peer.sentPermanent()).as(what + "\nh without a 5xx").isTrue();
        }
        for (Report report : concat(perRecipient, message)) {
            byte[] bytes = report.bytes();
            assertThat(bytes.length).as(what + "\nreport size").isLessThanOrEqualTo(REPORT_BOUND);
            for (int i = 1; i < bytes.length - 1; i++) {
                int b = bytes[i] & 0xff;
                assertThat(b == '\n' || (b >= 32 && b <= 126)).as(what + "\nbyte " + b + " at " + i).isTrue();
            }
        }
    }

    static List<Report> concat(List<Report> recipients, Report message) {
        List<Report> all = new ArrayList<>(recipients);
        all.add(message);
        return all;
    }

    static String render(DeliveryResult result) {
        StringBuilder s = new StringBuilder();
        for (Report r : concat(result.recipientReports(), result.messageReport())) {
            s.append(new String(r.bytes(), StandardCharsets.ISO_8859_1));
        }
        return s.toString();
    }

    /**
     * One context for every run of the fuzz targets: its timer thread and its fake DNS (example.test's MX and
     * relay.test are 127.0.0.1) are made once. Only the home, the port and the connector change.
     */
    static synchronized TestContext context() throws IOException {
        if (context == null) {
            FakeDnsServer dns = FakeDnsServer.start(InetAddress.getLoopbackAddress(), 0);
            dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1")
                    .a("relay", "127.0.0.1"));
            context = new TestContext();
            context.dns = dns.address();
        }
        return context;
    }

    static void control(Path home, String name, String content) throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control").resolve(name), content + "\n", StandardCharsets.ISO_8859_1);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
