package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qremote.sender.fuzz.FuzzedRandom;
import dev.qremote.sender.fuzz.Loopback;
import dev.qremote.sender.fuzz.SeededRun;
import dev.qremote.sender.report.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target "smtpreuse": the resident engine's paths the "smtp" target never reaches. One engine with a
 * session cache (as qmail-rspawn's) delivers two or three messages in a row to one {@link ScriptedPeer}, whose
 * script goes on across them over a kept connection: session reuse (MAIL without RSET after the witness EHLO,
 * a kept session gone stale), DATA pipelined with MAIL and RCPT, and LIMITS (RFC 9422: RCPTMAX and
 * RCPTDOMAINMAX split the recipients, one to five over two domains, into several transactions; MAILMAX opens
 * a new connection), with random, odd and malformed values. Between deliveries the peer may, while the
 * session is idle, send a late or unsolicited reply, garbage, or close (or reset) the connection.
 *
 * <p>The oracle of "smtp", per delivery and per transaction, judged only by what the peer said during that
 * delivery on the connections whose replies may count: new ones, and a kept one only when the final dot (or
 * BDAT LAST) reached it or it hung up (a kept session that failed before the dot must report nothing). K only
 * when a transaction's final dot was answered with a well-formed 250, and each r under a K belongs to such a
 * transaction (and the peer holds the message as sent); an r only for a RCPT answered 250 or 251; an h only
 * after a 5xx, a D only after a 5xx or as classic "Giving up"; "Possible duplicate" only after a dot reached
 * the peer; reports bounded, printable, in argument order; never "failed unexpectedly"; and the delivery's
 * outcome never comes from a kept session that failed before its dot (a fresh connection must follow it).
 */
@Tag("fuzz")
class SmtpReuseFuzzTest {
    private static final String[] BODY_LINES = {"", "hello", ".", "..", ".x", "QUIT", "RSET", "250 ok"};
    private static final String[] DOMAINS = {"example.test", "example.test", "other.test", "OTHER.test"};
    private static final String[] LIMIT_NAMES = {"RCPTMAX", "RCPTMAX", "MAILMAX", "MAILMAX", "RCPTDOMAINMAX",
        "rcptdomainmax", "FUTUREMAX"};
    private static final String[] LIMIT_VALUES = {"1", "1", "2", "2", "3", "5", "0", "x", "-1", "", "2147483647",
        "2147483648", "99999999999", "01", "1x"};
    /** What the peer may send while a kept session is idle. */
    static final String[] IDLE_BYTES = {"421 4.4.2 idle too long\r\n", "250 late\r\n", "550 5.7.1 late\r\n",
        "354 late\r\n", "250-mx.fuzz.test\r\n250 PIPELINING\r\n", "221 bye\r\n", "\0garbage\r\n", "25"};
    /** Whole replies, right for some commands and wrong for others; the first two hold an extra 250. */
    private static final ScriptedPeer.Step[] LITERALS = {
        ScriptedPeer.Step.literal("250 2.0.0 ok\r\n250 2.1.5 extra\r\n", 250),
        ScriptedPeer.Step.literal("250-mx.fuzz.test\r\n250 PIPELINING\r\n250 extra\r\n", 250),
        ScriptedPeer.Step.literal("250 2.0.0 ok\r\n", 250),
        ScriptedPeer.Step.literal("250-mx.fuzz.test\r\n250 PIPELINING\r\n", 250),
        ScriptedPeer.Step.literal("451 4.3.0 later\r\n", 451),
        ScriptedPeer.Step.literal("554 5.7.1 no\r\n", 554),
        ScriptedPeer.Step.literal("354 go on\r\n", 354),
        ScriptedPeer.Step.literal("421 4.4.2 closing\r\n", 421),
        ScriptedPeer.Step.literal("221 2.0.0 bye\r\n", 221),
        ScriptedPeer.Step.literal("452 4.5.3 too many recipients\r\n", 452),
    };
    private static TestContext context;
    /** How often the runs reached each path (see {@link #reached}), so a pass can show it was not vacuous. */
    private static final java.util.Map<String, Integer> REACHED = new java.util.concurrent.ConcurrentHashMap<>();

    @FuzzTest(maxDuration = "10m")
    void smtpreuse(FuzzedDataProvider data) throws Exception {
        check(new FuzzedRandom(data));
    }

    /** The seeded pass, which must also reach every path this target is for (else its oracle proved little). */
    @Test
    void seededPass() {
        REACHED.clear();
        SeededRun.run("smtpreuse", SmtpReuseFuzzTest::check, 4_000_000L, 60);
        System.out.println("fuzz smtpreuse: reached " + new java.util.TreeMap<>(REACHED));
        if (Integer.getInteger("fuzz.iterations") == null) {
            // the rarer paths (a K after a stale session, a split) vary with timing: the tests below reach them
            assertThat(REACHED).as("paths the pass reached").containsKeys("K over a kept session",
                    "idle bytes or close before a delivery");
        }
    }

    /**
     * The bench itself: a peer that answers everything properly gets every message, over a kept session (one
     * connection for all three deliveries) unless its MAILMAX ends it, with and without PIPELINING, CHUNKING
     * and LIMITS, so that the oracle is never vacuously true.
     */
    @Test
    void aProperPeerGetsEveryMessageOverAKeptSession() throws Exception {
        List<String> recipients = List.of("r0@example.test", "r1@other.test", "r2@example.test");
        for (String limits : new String[] {null, "RCPTMAX=2", "RCPTDOMAINMAX=1", "MAILMAX=2 RCPTMAX=1"}) {
            for (boolean pipelining : new boolean[] {false, true}) {
                for (boolean chunking : new boolean[] {false, true}) {
                    List<Delivery> deliveries = new ArrayList<>();
                    for (int n = 1; n <= 3; n++) {
                        deliveries.add(new Delivery(recipients, ScriptedPeer.MARKER + "\nmessage " + n + "\n.\n",
                                Idle.NOTHING));
                    }
                    Scenario scenario = new Scenario(pipelining, chunking, 32768, limits, deliveries, List.of());
                    Outcome outcome = check(scenario);
                    for (int n = 0; n < 3; n++) {
                        assertThat(outcome.reports().get(n)).as(scenario + "\ndelivery " + (n + 1))
                                .startsWith("r\0r\0r\0K127.0.0.1 accepted message.");
                        List<PeerLedger.Leg> legs = outcome.ledger().legs(n + 1);
                        long delivered = legs.stream().flatMap(l -> l.transactions.stream())
                                .filter(t -> t.finalAnswered250).count();
                        assertThat(delivered).as(scenario + "\n" + legs).isEqualTo(limits == null ? 1
                                : limits.equals("RCPTDOMAINMAX=1") ? 3 : limits.equals("RCPTMAX=2") ? 2 : 3);
                        if (limits == null || !limits.startsWith("MAILMAX")) {
                            assertThat(legs).as(scenario + "\nevery delivery on the first connection")
                                    .allMatch(l -> l.connection == 1).hasSize(1);
                            assertThat(legs.get(0).fresh).isEqualTo(n == 0);
                            assertThat(legs.get(0).verbs).as(scenario + "\nno RSET on a kept session")
                                    .doesNotContain("RSET");
                        }
                    }
                }
            }
        }
    }

    /**
     * The bench itself: a kept session the peer closed, reset or spoke on while it was idle, or one that
     * refuses MAIL, is left for a new connection, which delivers; the oracle above sees no report from it.
     */
    @Test
    void aStaleKeptSessionGivesWayToANewConnection() throws Exception {
        ScriptedPeer.Step proper = ScriptedPeer.Step.of(ScriptedPeer.Kind.PROPER);
        List<Idle> idles = List.of(new Idle(-1, true, false), new Idle(-1, true, true), new Idle(0, false, false),
                new Idle(1, false, false), new Idle(2, false, false), Idle.NOTHING);
        for (Idle idle : idles) {
            // greeting, EHLO, MAIL, RCPT, DATA, dot, witness EHLO; then the kept session's MAIL
            List<ScriptedPeer.Step> script = new ArrayList<>(List.of(proper, proper, proper, proper, proper, proper,
                    proper));
            if (idle.equals(Idle.NOTHING)) {
                script.add(ScriptedPeer.Step.literal("530 5.7.0 authentication required\r\n", 530));
            }
            List<Delivery> deliveries = List.of(
                    new Delivery(List.of("r0@example.test"), ScriptedPeer.MARKER + "\nmessage 1\n", Idle.NOTHING),
                    new Delivery(List.of("r0@example.test"), ScriptedPeer.MARKER + "\nmessage 2\n", idle));
            Outcome outcome = check(new Scenario(false, false, 32768, null, deliveries, script));
            assertThat(outcome.reports()).as(idle.toString()).allMatch(r -> r.startsWith("r\0K"));
            List<PeerLedger.Leg> legs = outcome.ledger().legs(2);
            assertThat(legs.get(legs.size() - 1).fresh).as(idle + ": " + legs).isTrue();
        }
    }

    /**
     * The bench sees a false K that only the witness EHLO prevents: two extra 250s among pipelined BDAT
     * chunk replies shift the stream by two, so that the reply read for BDAT LAST and the one read for the
     * witness EHLO are both left-over 250s, while BDAT LAST was answered 451. Only the witness's check of the
     * server name and extension keywords tells; without it, this scenario fails the oracle ("K without a 250
     * to a final dot").
     */
    @Test
    void theWitnessCatchesAStreamShiftedByTwoReplies() throws Exception {
        ScriptedPeer.Step proper = ScriptedPeer.Step.of(ScriptedPeer.Kind.PROPER);
        ScriptedPeer.Step twice = ScriptedPeer.Step.literal("250 ok BDAT\r\n250 extra\r\n", 250);
        List<ScriptedPeer.Step> script = List.of(proper, proper, proper, proper, twice, twice, proper, proper,
                ScriptedPeer.Step.literal("451 4.3.0 not now\r\n", 451));
        List<Delivery> deliveries = List.of(
                new Delivery(List.of("r0@example.test"), ScriptedPeer.MARKER + "\nmessage 1\n", Idle.NOTHING),
                new Delivery(List.of("r0@example.test"), ScriptedPeer.MARKER + "\nmessage 2\n", Idle.NOTHING));
        Outcome outcome = check(new Scenario(true, true, 5, null, deliveries, script));
        assertThat(outcome.reports().get(0)).startsWith("r\0Z");
        assertThat(outcome.reports().get(1)).startsWith("r\0K");
    }

    /** What the peer does while the session is idle before a delivery: {@code bytes} an index of IDLE_BYTES, or -1. */
    record Idle(int bytes, boolean close, boolean reset) {
        static final Idle NOTHING = new Idle(-1, false, false);

        @Override
        public String toString() {
            return this.equals(NOTHING) ? "nothing" : (bytes < 0 ? "" : "'" + IDLE_BYTES[bytes].replace("\r\n", "\\r\\n")
                    .replace("\0", "\\0") + "'") + (close ? " close" : "") + (reset ? " reset" : "");
        }
    }

    /** One delivery: its recipients (argument order), its message, and what the peer does before it. */
    record Delivery(List<String> recipients, String message, Idle before) {
        @Override
        public String toString() {
            return "{recipients " + recipients + ", idle before: " + before + ", message "
                    + message.replace("\n", "\\n") + "}";
        }
    }

    /** The peer's offer (LIMITS parameters, null for none), the deliveries in order, and the peer's one script. */
    record Scenario(boolean pipelining, boolean chunking, int chunkSize, String limits, List<Delivery> deliveries,
            List<ScriptedPeer.Step> script) {
        @Override
        public String toString() {
            return "pipelining " + pipelining + ", chunking " + chunking + ", chunksizeremote " + chunkSize
                    + ", limits " + limits + ", deliveries " + deliveries + ", script " + script;
        }
    }

    /** Each delivery's reports, rendered, and what the peer saw. */
    record Outcome(List<String> reports, PeerLedger ledger) {
    }

    static void check(RandomGenerator random) throws Exception {
        boolean pipelining = random.nextInt(3) > 0;
        boolean chunking = random.nextInt(3) == 0;
        int chunkSize = new int[] {0, 5, 64, 32768}[random.nextInt(4)];
        String limits = null;
        if (random.nextInt(3) > 0) {
            StringBuilder l = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                l.append(i == 0 ? "" : " ").append(LIMIT_NAMES[random.nextInt(LIMIT_NAMES.length)])
                        .append(random.nextInt(12) == 0 ? "" : "=" + LIMIT_VALUES[random.nextInt(LIMIT_VALUES.length)]);
            }
            limits = l.toString();
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (int n = 0, count = 2 + random.nextInt(2); n < count; n++) {
            List<String> recipients = new ArrayList<>();
            for (int i = 0, r = 1 + random.nextInt(5); i < r; i++) {
                recipients.add("r" + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)]);
            }
            StringBuilder message = new StringBuilder(ScriptedPeer.MARKER + "\nmessage " + (n + 1) + "\n");
            for (int i = 0, lines = random.nextInt(6); i < lines; i++) {
                message.append(BODY_LINES[random.nextInt(BODY_LINES.length)]).append('\n');
            }
            Idle idle = Idle.NOTHING;
            if (n > 0 && random.nextInt(3) == 0) {
                int kind = random.nextInt(4);
                idle = new Idle(kind == 1 ? -1 : random.nextInt(IDLE_BYTES.length), kind >= 1, kind == 3);
            }
            deliveries.add(new Delivery(recipients, message.toString(), idle));
        }
        // several deliveries, each of several transactions, need many replies: two in three are proper here;
        // of the others some are replies that fit another command, the kind a shifted stream shows
        List<ScriptedPeer.Step> script = new ArrayList<>();
        for (int i = 0, n = random.nextInt(100); i < n; i++) {
            int k = random.nextInt(12);
            script.add(k < 8 ? ScriptedPeer.Step.of(ScriptedPeer.Kind.PROPER) : k < 10 ? ScriptedPeer.randomStep(random)
                    : LITERALS[random.nextInt(LITERALS.length)]);
        }
        check(new Scenario(pipelining, chunking, chunkSize, limits, deliveries, script));
    }

    /** Delivers every message of {@code scenario} through one engine, a session cache and one peer; checks the oracle. */
    static Outcome check(Scenario scenario) throws Exception {
        Path home = Files.createTempDirectory("smtp-reuse-fuzz");
        List<DeliveryResult> results = new ArrayList<>();
        ScriptedPeer peer;
        try (SilentCloseable permit = Loopback.only()) {
            peer = new ScriptedPeer(scenario.script(), scenario.pipelining(), scenario.chunking(), false,
                    scenario.limits());
            try {
                SmtpPeerFuzzTest.control(home, "me", "sender.test");
                SmtpPeerFuzzTest.control(home, "smtproutes", "example.test:[127.0.0.1]");
                SmtpPeerFuzzTest.control(home, "timeoutremote", "1");
                SmtpPeerFuzzTest.control(home, "timeoutconnect", "1");
                SmtpPeerFuzzTest.control(home, "timeoutdns", "1");
                SmtpPeerFuzzTest.control(home, "dnssec", "off");
                SmtpPeerFuzzTest.control(home, "chunksizeremote", Integer.toString(scenario.chunkSize()));
                synchronized (SmtpReuseFuzzTest.class) {
                    TestContext c = context();
                    c.home = home;
                    c.port = peer.port();
                    SessionCache cache = SessionCache.create(c.timer);
                    c.sessionCache = cache;
                    try {
                        DeliveryEngine engine = new DeliveryEngine(c);
                        for (Delivery delivery : scenario.deliveries()) {
                            Idle idle = delivery.before();
                            if (!idle.equals(Idle.NOTHING)) {
                                peer.whileIdle(idle.bytes() < 0 ? new byte[0]
                                        : IDLE_BYTES[idle.bytes()].getBytes(StandardCharsets.ISO_8859_1), idle.close(),
                                        idle.reset());
                            }
                            peer.ledger().nextDelivery();
                            List<String> args = new ArrayList<>(List.of("example.test", "a@sender.test"));
                            args.addAll(delivery.recipients());
                            results.add(engine.deliver(TestRequests.of(args, new ByteArrayInputStream(
                                    delivery.message().getBytes(StandardCharsets.ISO_8859_1)))));
                            peer.settle(); // what the client sent in this delivery counts for it alone

                        }
                    } finally {
                        cache.close();
                        c.sessionCache = SessionCache.disabled();
                    }
                }
            } finally {
                peer.close();
            }
        } finally {
            SmtpPeerFuzzTest.delete(home);
        }
        assertThat(peer.failure()).as("the peer itself").isNull();
        List<String> rendered = new ArrayList<>();
        for (int n = 0; n < results.size(); n++) {
            String input = scenario + "\ndelivery " + (n + 1) + "\npeer log:\n" + peer.log();
            synchronized (peer.ledger()) {
                verify(results.get(n), scenario.deliveries().get(n), peer.ledger().legs(n + 1), input);
            }
            rendered.add(SmtpPeerFuzzTest.render(results.get(n)));
        }
        return new Outcome(rendered, peer.ledger());
    }

    private static void verify(DeliveryResult result, Delivery delivery, List<PeerLedger.Leg> legs, String input) {
        String text = SmtpPeerFuzzTest.render(result);
        String what = input + "\nlegs of this delivery: " + legs + "\nreports: "
                + text.replace("\0", "\\0").replace("\n", "\\n");
        Report message = result.messageReport();
        assertThat(message.text()).as(what).doesNotStartWith("Sorry, qmail-remote failed unexpectedly");
        assertThat(message.letter()).as(what).isIn('K', 'Z', 'D');
        int recipients = delivery.recipients().size();
        List<Report> perRecipient = result.recipientReports();
        assertThat(perRecipient).as(what).allMatch(Report::isRecipientReport).hasSizeLessThanOrEqualTo(recipients);
        if (perRecipient.size() < recipients) {
            assertThat(message.letter()).as(what).isIn('Z', 'D');
        }
        // the legs whose replies may count: a kept session that failed before its dot must have said nothing;
        // one the peer hung up on, or the client reset, may have lost a dot sent, after which it decides
        boolean duplicate = text.contains("Possible duplicate");
        List<PeerLedger.Leg> judged = legs.stream()
                .filter(l -> l.fresh || l.finalReceived() || duplicate && (l.hardClosed || l.reset)).toList();
        List<PeerLedger.Transaction> transactions = judged.stream().flatMap(l -> l.transactions.stream()).toList();
        int extras = judged.stream().mapToInt(l -> l.extraAcceptances).sum();
        boolean permanent = judged.stream().anyMatch(l -> l.permanent);
        String sent = delivery.message().replace("\n", "\r\n");
        // as in "smtp": with PIPELINING an extra reply may shift a RCPT's answer to the next one, which no client
        // can tell; that is harmless unless a K claims the message for the recipient (checked below)
        long accepted = perRecipient.stream().filter(r -> r.letter() == 'r').count();
        assertThat(accepted).as(what + "\nr without a 250 or 251 to RCPT")
                .isLessThanOrEqualTo(transactions.stream().mapToInt(t -> t.accepted.size()).sum() + extras);
        for (int i = 0; i < perRecipient.size() && message.letter() == 'K'; i++) {
            if (perRecipient.get(i).letter() != 'r') {
                continue;
            }
            String path = delivery.recipients().get(i);
            assertThat(transactions.stream().anyMatch(t -> t.finalAnswered250 && t.recipients.contains(path)
                    && (extras > 0 || t.accepted.contains(path))))
                    .as(what + "\nK with r for " + path + ", whose RCPT or transaction's dot got no 250").isTrue();
        }
        if (message.letter() == 'K') {
            assertThat(transactions.stream().anyMatch(t -> t.finalAnswered250))
                    .as(what + "\nK without a 250 to a final dot").isTrue();
            assertThat(perRecipient).as(what).anyMatch(r -> r.letter() == 'r');
            for (PeerLedger.Transaction t : transactions) {
                if (t.finalAnswered250) {
                    assertThat(new String(t.message, StandardCharsets.ISO_8859_1))
                            .as(what + "\nthe message the peer received").isEqualTo(sent);
                }
            }
        }
        if (text.contains("Possible duplicate")) {
            assertThat(judged.stream().anyMatch(l -> l.finalReceived() || l.hardClosed || l.reset))
                    .as(what + "\n'Possible duplicate' before the final dot").isTrue();
        }
        if (perRecipient.stream().anyMatch(r -> r.letter() == 'h')) {
            assertThat(permanent).as(what + "\nh without a 5xx").isTrue();
        }
        if (message.letter() == 'D') {
            assertThat(permanent || message.text().startsWith("Giving up on "))
                    .as(what + "\nD without a 5xx").isTrue();
        }
        reached(legs, message, delivery);
        List<PeerLedger.Leg> active = legs.stream().filter(PeerLedger.Leg::active).toList();
        if (!active.isEmpty()) {
            PeerLedger.Leg last = active.get(active.size() - 1);
            boolean stale = !last.fresh && !last.finalReceived()
                    && !((last.hardClosed || last.reset) && text.contains("Possible duplicate"));
            assertThat(stale && !message.text().startsWith("Sorry, I wasn't able to establish"))
                    .as(what + "\na report from a kept session that failed before its dot (no new connection after it)")
                    .isFalse();
        }
        for (Report report : SmtpPeerFuzzTest.concat(perRecipient, message)) {
            byte[] bytes = report.bytes();
            assertThat(bytes.length).as(what + "\nreport size").isLessThanOrEqualTo(SmtpPeerFuzzTest.REPORT_BOUND);
            for (int i = 1; i < bytes.length - 1; i++) {
                int b = bytes[i] & 0xff;
                assertThat(b == '\n' || (b >= 32 && b <= 126)).as(what + "\nbyte " + b + " at " + i).isTrue();
            }
        }
    }

    /** Counts the paths one delivery went through. */
    private static void reached(List<PeerLedger.Leg> legs, Report message, Delivery delivery) {
        java.util.function.Consumer<String> count = key -> REACHED.merge(key, 1, Integer::sum);
        boolean k = message.letter() == 'K';
        if (k && legs.stream().anyMatch(l -> !l.fresh && l.transactions.stream().anyMatch(t -> t.finalAnswered250))) {
            count.accept("K over a kept session");
        }
        if (k && legs.size() > 1 && !legs.get(0).fresh && !legs.get(0).finalReceived()) {
            count.accept("K after a stale kept session");
        }
        if (k && legs.stream().mapToLong(l -> l.transactions.stream().filter(t -> t.finalAnswered250).count()).sum() > 1) {
            count.accept("K split by LIMITS");
        }
        if (k && legs.stream().filter(l -> l.fresh && !l.transactions.isEmpty()).count() > 1) {
            count.accept("K over several new connections (MAILMAX)");
        }
        if (!delivery.before().equals(Idle.NOTHING)) {
            count.accept("idle bytes or close before a delivery");
        }
        count.accept("deliveries " + message.letter());
    }

    /** One context for every run: its timer thread and fake DNS are made once; each run brings its cache. */
    private static synchronized TestContext context() throws IOException {
        if (context == null) {
            TestContext shared = SmtpPeerFuzzTest.context();
            context = new TestContext();
            context.dns = shared.dns;
        }
        return context;
    }
}
