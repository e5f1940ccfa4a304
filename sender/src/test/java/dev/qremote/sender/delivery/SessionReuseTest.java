package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.ReceivedMessage;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.message.MessageSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP session reuse (a resident process's {@link SessionCache}) against fake-mx over loopback: one
 * connection for consecutive deliveries to the same address, the EHLO witness after the dot and MAIL FROM,
 * without RSET, to begin the next transaction; never a report from a stale kept session; never a K the witness does not prove in
 * step; a kept session only for the same HELO name, AUTH identity and TLS plan; the idle time; cancellation.
 */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class SessionReuseTest {
    private static final String K = "r\0K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 5 bytes\n\0";
    private static final String SECOND_EHLO = "C: EHLO sender.test\\r\\n";

    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private SmtpServer mx;
    private SessionCache cache;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws Exception {
        this.mx = mx;
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
        cache = new SessionCache(context.timer, SessionCache.DEFAULT_LIMIT);
        context.sessionCache = cache;
    }

    @AfterEach
    void tearDown() {
        cache.close();
    }

    @Test
    void twoDeliveriesGoOverOneConnectionWithTheEhloWitnessAndNoRset() throws Exception {
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isEqualTo(1);
        assertThat(deliver()).as("the same report as over a fresh connection").isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.messages()).hasSize(2);
        cache.close();
        assertThat(mx.awaitIdle(Duration.ofSeconds(5))).isTrue();
        String transcript = mx.transcripts().get(0).render();
        assertThat(transcript).containsSubsequence("-- message complete", SECOND_EHLO, "S: 250 8BITMIME",
                "C: MAIL FROM:", "-- message complete", SECOND_EHLO, "C: QUIT\\r\\n");
        assertThat(transcript).as("the witness EHLO reset the state (RFC 5321 4.1.4)").doesNotContain("RSET");
        assertThat(mx.repliesAfterMessage()).containsExactly("250 2.0.0 ok 5 bytes", "250 2.0.0 ok 5 bytes");
    }

    @Test
    void reuseIdleZeroTurnsReuseOff() throws Exception {
        Files.writeString(home.resolve("control/reuseidle"), "0\n");
        assertThat(deliver()).isEqualTo(K);
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(cache.idleCount()).isZero();
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.transcripts()).allSatisfy(t -> assertThat(t.render()).contains("C: QUIT").doesNotContain(SECOND_EHLO
                + "S: 250-mx.fake.test\\r\\nS: 250-PIPELINING\\r\\nS: 250 8BITMIME\\r\\nC: MAIL"));
    }

    @Test
    void reuseMaxCountsTheDeliveriesOfOneConnection() throws Exception {
        Files.writeString(home.resolve("control/reusemax"), "1\n");
        deliver();
        deliver();
        assertThat(mx.connections()).as("reusemax 1: none kept").isEqualTo(2);
        Files.writeString(home.resolve("control/reusemax"), "2\n");
        for (int i = 0; i < 3; i++) {
            assertThat(deliver()).isEqualTo(K);
        }
        assertThat(mx.connections()).as("two deliveries on the third connection, then a fourth").isEqualTo(4);
        assertThat(cache.idleCount()).isEqualTo(1);
    }

    @Test
    void aKeptSessionIsUsedWithoutAskingTheTimeoutMemoryWhichStillCountsForFreshConnections() throws Exception {
        assertThat(deliver()).isEqualTo(K);
        // qmail's tcpto says 127.0.0.1 timed out twice just now: skip it for a while
        byte[] table = new byte[1024];
        table[0] = 127;
        table[3] = 1;
        table[4] = 2;
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 4; i++) {
            table[8 + i] = (byte) (now >>> (8 * i));
        }
        Files.createDirectories(home.resolve("queue/lock"));
        Files.write(home.resolve("queue/lock/tcpto"), table);
        assertThat(deliver()).as("the idle session shows the address answers").isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(1);
        cache.close();
        assertThat(deliver()).as("no session kept: the memory is asked, and the address skipped")
                .startsWith("ZSorry, I wasn't able to establish an SMTP connection.");
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void thePerProcessContextNeverKeepsASession() throws Exception {
        context.sessionCache = SessionCache.disabled();
        assertThat(deliver()).isEqualTo(K);
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void aKeptSessionTheServerClosedIsReplacedByAFreshConnection() throws Exception {
        // the witness is answered, then the server hangs up while the session is idle
        mx.script(SmtpScript.builder().onNth("EHLO", 2, new Action.ThenClose(new Action.Standard())).build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isEqualTo(1);
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    @Test
    void aKeptSessionAnsweringMailWith421IsReplacedByAFreshConnection() throws Exception {
        mx.script(SmtpScript.builder().onNth("MAIL", 2, new Action.ThenClose(Action.reply(421, "4.4.2 idle too long")))
                .build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    /** A server that forgot AUTH after EHLO, say: a stale session must never bounce the mail. */
    @Test
    void aRefusalOnAKeptSessionIsNeverReportedTheFreshConnectionDecides() throws Exception {
        mx.script(SmtpScript.builder().onNth("MAIL", 2, Action.reply(530, "5.7.0 authentication required")).build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(deliver()).as("no D from the kept session").isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    /**
     * A server may take only so many messages over one connection and refuse the next at its dot (some say
     * so with a 4xx, some with a 5xx): over a kept session a refusal of the message is not final either.
     */
    @Test
    void aMessageRefusedAtTheDotOfAKeptSessionIsSentAgainOnAFreshConnection() throws Exception {
        mx.script(SmtpScript.builder().onNth("MESSAGE", 2, Action.reply(554, "5.7.0 too many messages in this session"))
                .build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(deliver()).as("no D from the kept session").isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    /**
     * A kept session whose peer is gone without a word (a NAT or load balancer that dropped it) must cost
     * seconds, not the delivery's whole budget: the fresh connection still has to fit in timeoutdelivery.
     */
    @Test
    void aKeptSessionThatLeavesMailUnansweredCostsSecondsAndTheFreshConnectionDelivers() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "60\n");
        Files.writeString(home.resolve("control/timeoutdelivery"), "25\n");
        mx.script(SmtpScript.builder().onNth("MAIL", 2, new Action.Delay(Duration.ofSeconds(60), new Action.Standard()))
                .build());
        assertThat(deliver()).isEqualTo(K);
        long start = System.nanoTime();
        assertThat(deliver()).as("the fresh connection fits in what is left").isEqualTo(K);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("about the 10 s MAIL FROM waits on a kept session")
                .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(20));
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    /**
     * A server that timed the idle session out says 421 and hangs up (RFC 5321 3.8) while nobody reads: the
     * 421 waits in the input and is the answer to MAIL FROM, never sent; the fresh connection decides.
     */
    @Test
    void a421SaidWhileTheSessionWasIdleIsReplacedByAFreshConnection() throws Exception {
        mx.script(SmtpScript.builder().onNth("EHLO", 2, new Action.ThenClose(new Action.Extra(new Action.Standard(),
                "421 4.4.2 idle too long\r\n".getBytes(StandardCharsets.US_ASCII)))).build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isEqualTo(1);
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
        assertThat(mx.transcripts().get(0).render().split("C: MAIL FROM:", -1)).as("no MAIL after the 421").hasSize(2);
    }

    @Test
    void aRecipientRefusedOnAKeptSessionIsAskedAgainOnAFreshConnection() throws Exception {
        mx.script(SmtpScript.builder().onNth("RCPT", 2, Action.reply(550, "5.1.1 stale")).build());
        deliver();
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void anExtraReplyAfterTheDotIsOutOfStepNeverK() throws Exception {
        mx.script(SmtpScript.builder().afterMessage(new Action.Extra(new Action.Standard(),
                "250 2.0.0 and again\r\n".getBytes(StandardCharsets.US_ASCII))).build());
        String report = deliver();
        assertThat(report).startsWith("r\0Z127.0.0.1 but it answered QUIT with something other than 221".replace(
                "127.0.0.1 but", "Connected to 127.0.0.1 but")).contains("Possible duplicate!");
        assertThat(cache.idleCount()).as("an out-of-step session is not kept").isZero();
    }

    /** A stale 250 read as the witness's answer, the real EHLO answer then read as QUIT's: out of step. */
    @Test
    void aWitnessAnswerThatIsNotTheEhloAnswerLeadsToTheQuitCheck() throws Exception {
        mx.script(SmtpScript.builder().onNth("EHLO", 2, new Action.Raw(("250 2.0.0 ok\r\n250-mx.fake.test\r\n"
                + "250-PIPELINING\r\n250 8BITMIME\r\n").getBytes(StandardCharsets.US_ASCII))).build());
        assertThat(deliver()).startsWith("r\0ZConnected to 127.0.0.1 but it answered QUIT with something other than 221")
                .contains("Possible duplicate!").contains("250-mx.fake.test");
        assertThat(cache.idleCount()).isZero();
    }

    /**
     * recheck9 N4: the dot answered 250, then a late 554 taken for the witness EHLO's answer, then a close:
     * only QUIT's 221 could still show the stream in step, and none came (per process QUIT read the 554: Z).
     */
    @Test
    void aWitnessAnswerThatIsNotTheEhloAnswerAndNoAnswerToQuitIsOutOfStep() throws Exception {
        mx.script(SmtpScript.builder().onNth("EHLO", 2, Action.reply(554, "5.7.1 late")).on("QUIT", new Action.Close())
                .build());
        assertThat(deliver()).startsWith("r\0ZConnected to 127.0.0.1 but it answered QUIT with something other than 221")
                .contains("Possible duplicate!");
        assertThat(cache.idleCount()).isZero();
    }

    /** Another answer to EHLO, but QUIT's 221 shows the stream in step: the K stands, the session ends. */
    @Test
    void aDifferentWitnessAnswerWithAnInStepQuitKeepsTheKButNotTheSession() throws Exception {
        mx.script(SmtpScript.builder().onNth("EHLO", 2, Action.reply(250, "other.fake.test")).build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isZero();
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
    }

    /**
     * A server that hangs up on the witness EHLO after BDAT: with BDAT every answer is 250, and a stream one
     * reply behind (an extra 250 earlier, the answer to BDAT LAST never sent) ends the same way; so, as when
     * it hangs up instead of answering QUIT per process, no K stands (fresh9 M1: K here, Z per process).
     */
    @Test
    void afterBdatLastAHangUpAtTheWitnessIsOutOfStepAsForQuit() throws Exception {
        mx.script(SmtpScript.builder().extensions("PIPELINING", "8BITMIME", "CHUNKING")
                .onNth("EHLO", 2, new Action.Close()).build());
        assertThat(deliver()).startsWith("r\0ZConnected to 127.0.0.1 but it answered QUIT with something other than 221")
                .contains("Possible duplicate!");
        assertThat(cache.idleCount()).isZero();
    }

    /** fresh9 M6: a 421 may answer any command; after BDAT it may be LAST's own, and proves nothing. */
    @Test
    void afterBdatLastA421ToTheWitnessIsOutOfStep() throws Exception {
        mx.script(SmtpScript.builder().extensions("PIPELINING", "8BITMIME", "CHUNKING")
                .onNth("EHLO", 2, new Action.ThenClose(Action.reply(421, "4.3.2 closing"))).build());
        assertThat(deliver()).startsWith("r\0ZConnected to 127.0.0.1 but it answered QUIT with something other than 221")
                .contains("Possible duplicate!").contains("421 4.3.2 closing");
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void afterBdatLastSilenceToTheWitnessIsOutOfStep() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "2\n");
        mx.script(SmtpScript.builder().extensions("PIPELINING", "8BITMIME", "CHUNKING")
                .onNth("EHLO", 2, new Action.Delay(Duration.ofSeconds(20), new Action.Standard())).build());
        assertThat(deliver()).startsWith("r\0ZConnected to 127.0.0.1 but it answered QUIT with something other than 221")
                .contains("Possible duplicate!");
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void afterDataSilenceToTheWitnessKeepsTheKButNotTheSession() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "2\n");
        mx.script(SmtpScript.builder().onNth("EHLO", 2, new Action.Delay(Duration.ofSeconds(20), new Action.Standard()))
                .build());
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void anotherHeloNameTakesAnotherConnection() throws Exception {
        Files.writeString(home.resolve("control/domainips"), "sender.test:127.0.0.1|one.sender.test\n"
                + "other.test:127.0.0.1|two.sender.test\n");
        assertThat(deliver("a@sender.test")).isEqualTo(K);
        assertThat(deliver("a@other.test")).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(deliver("b@sender.test")).isEqualTo(K);
        assertThat(mx.connections()).as("the first HELO name's session again").isEqualTo(2);
    }

    @Test
    void anotherAuthIdentityTakesAnotherConnection() throws Exception {
        mx.script(SmtpScript.builder().user("alice", "s3cret").user("bob", "pw").build());
        int port = context.port;
        Files.writeString(home.resolve("control/authsenders"), "a@sender.test:[127.0.0.1];" + port + "|alice|s3cret\n"
                + "b@sender.test:[127.0.0.1];" + port + "|bob|pw\n");
        assertThat(deliver("a@sender.test")).isEqualTo(K);
        assertThat(deliver("b@sender.test")).isEqualTo(K);
        assertThat(deliver("a@sender.test")).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        mx.awaitIdle(Duration.ofMillis(200));
        assertThat(mx.messages()).extracting(ReceivedMessage::authenticatedUser).containsExactly("alice", "bob", "alice");
        assertThat(mx.transcripts().get(0).render()).doesNotContain("s3cret");
    }

    /**
     * fresh9 H3: over TLS, what the server sends while the session is idle sits in records the TLS layer has
     * not read, unseen by the stream's available(); with BDAT the next delivery rode a stream one reply behind
     * to "Possible duplicate!" after the server took it. Here the witness's answer and a stray 250 come one
     * byte per record: the stray is still undecrypted when the session is taken up, and it is not used.
     */
    @Test
    void whatAServerSaidWhileIdleOverTlsMakesTheKeptSessionStale() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        mx.script(SmtpScript.builder().starttls(ca.leaf("mx1.example.test")).extensions("PIPELINING", "8BITMIME", "CHUNKING")
                .onNth("EHLO", 3, new Action.Dribble(Duration.ofMillis(1), new Action.Extra(new Action.Standard(),
                        "250 2.0.0 stray\r\n".getBytes(StandardCharsets.US_ASCII)))).build());
        String first = deliver();
        assertThat(first).startsWith("r\0K127.0.0.1 TLS transmitted message accepted.");
        Thread.sleep(300); // the stray's records arrive
        assertThat(deliver()).as("a fresh connection, the same report").isEqualTo(first);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.messages()).hasSize(2);
    }

    @Test
    void anotherTlsPlanTakesAnotherConnection() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        mx.script(SmtpScript.builder().starttls(ca.leaf("mx1.example.test")).build());
        String tls = deliver();
        assertThat(tls).startsWith("r\0K127.0.0.1 TLS transmitted message accepted.");
        Files.createDirectories(home.resolve("control/notlshosts"));
        Files.writeString(home.resolve("control/notlshosts/mx1.example.test"), "");
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(2);
        Files.delete(home.resolve("control/notlshosts/mx1.example.test"));
        assertThat(deliver()).as("TLS kept with the session: the same report").isEqualTo(tls);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.tlsSessions().get(0)).isNotNull();
        assertThat(mx.tlsSessions().get(1)).isNull();
    }

    /** A CA file replaced by the operator is the trust of the next delivery: no kept session outlives it. */
    @Test
    void aReplacedCaFileIsNotOutlivedByAKeptSession() throws Exception {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        mx.script(SmtpScript.builder().starttls(ca.leaf("mx1.example.test")).build());
        Path pem = home.resolve("control/tlshosts/mx1.example.test.pem");
        Files.createDirectories(pem.getParent());
        Files.writeString(pem, dev.qremote.fakemx.tls.Pem.certificate(ca.root()));
        assertThat(deliver()).startsWith("r\0K127.0.0.1 TLS (verified CA+DN");
        assertThat(cache.idleCount()).isEqualTo(1);
        Path replacement = home.resolve("control/other.pem");
        Files.writeString(replacement, dev.qremote.fakemx.tls.Pem.certificate(TestCertificates.create(KeyKind.ECDSA).root()));
        Files.move(replacement, pem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(deliver()).as("judged by the new file, on a new connection")
                .startsWith("ZUnable to verify X.500 certificate from: mx1.example.test for example.test.");
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void anIdleSessionIsClosedWithQuitAfterReuseIdle() throws Exception {
        Files.writeString(home.resolve("control/reuseidle"), "1\n");
        assertThat(deliver()).isEqualTo(K);
        assertThat(cache.idleCount()).isEqualTo(1);
        assertThat(mx.awaitIdle(Duration.ofSeconds(5))).as("closed by the cache within its idle time").isTrue();
        assertThat(cache.idleCount()).isZero();
        assertThat(mx.transcripts().get(0).render()).endsWith("C: QUIT\\r\\n\nS: 221 2.0.0 bye\\r\\n\n-- closed\n");
    }

    @Test
    void cancellingADeliveryThatKeptItsSessionLeavesTheSessionAlone() throws Exception {
        DeliveryRequest first = request("a@sender.test");
        assertThat(Printed.of(new DeliveryEngine(context).deliver(first))).isEqualTo(K);
        first.cancellation().cancel();
        assertThat(deliver()).isEqualTo(K);
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void cancellingADeliveryOnAKeptSessionClosesThatSession() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "60\n");
        mx.script(SmtpScript.builder()
                .onNth("MAIL", 2, new Action.Delay(Duration.ofSeconds(30), new Action.Standard())).build());
        assertThat(deliver()).isEqualTo(K);
        DeliveryRequest second = request("a@sender.test");
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(500);
                second.cancellation().cancel();
            } catch (InterruptedException e) {
                // the delivery ended first
            }
        });
        canceller.start();
        long start = System.nanoTime();
        String report = Printed.of(new DeliveryEngine(context).deliver(second));
        canceller.join();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(report).isEqualTo(
                "ZSorry, the delivery was cancelled before a mail exchanger took the message. (#4.3.0)\n\0");
        assertThat(mx.awaitIdle(Duration.ofSeconds(5))).as("the kept session was closed").isTrue();
        assertThat(cache.idleCount()).isZero();
        assertThat(mx.messages()).hasSize(1);
    }

    @Test
    void aCacheWhoseTimerHasStoppedKeepsNothingAndTheKStands() throws Exception {
        java.util.concurrent.ScheduledExecutorService stopped = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        stopped.shutdown();
        SessionCache idle = new SessionCache(stopped, SessionCache.DEFAULT_LIMIT);
        context.sessionCache = idle;
        assertThat(deliver()).isEqualTo(K);
        assertThat(idle.idleCount()).isZero();
        assertThat(mx.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(mx.transcripts().get(0).render()).contains("C: QUIT");
    }

    /**
     * A kept session belongs to the cache from the moment it is given: the next delivery may take it up (and
     * say MAIL) at once, on another thread, while the delivery that kept it is still returning. That one
     * must not look at the session again: it took the next transaction's cleared state for its own, reported the
     * session stale, closed it under the other delivery and sent its message a second time (seen under load:
     * messages arriving twice, and a Z for the delivery whose session was closed after its dot). Here the
     * cache's timer does the taking up, when the session is given (on the delivering thread, so in order).
     */
    @Test
    void aSessionTakenUpByTheNextDeliveryAsItIsKeptIsNotTouchedByTheOneThatKeptIt() throws Exception {
        java.net.Socket socket = Connector.plain().connect(mx.address(), java.util.Optional.empty(),
                Duration.ofSeconds(5));
        dev.qremote.sender.transport.smtp.SmtpClient client = new dev.qremote.sender.transport.smtp.SmtpClient(
                new dev.qremote.sender.transport.smtp.SmtpConnection(socket, Duration.ofSeconds(5), context.timer));
        assertThat(client.greeting().code()).isEqualTo(220);
        assertThat(client.ehlo("sender.test").code()).isEqualTo(250);
        // a transaction that kept the session (an in-step witness EHLO), as a delivery before would have
        client.envelope("a@sender.test", "", List.of("b@example.test"), r -> {
        });
        client.data();
        client.message(new java.io.ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(client.ehloInStep("sender.test", Duration.ofSeconds(5), false))
                .isEqualTo(dev.qremote.sender.transport.smtp.Witness.IN_STEP);
        java.util.List<Integer> takenUp = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ScheduledExecutorService takingUp = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay,
                    java.util.concurrent.TimeUnit unit) {
                try {
                    client.resumeAfterWitness(); // the next delivery, as soon as the session is kept
                    takenUp.add(client.envelope("c@sender.test", "", List.of("d@example.test"), r -> {
                    }).code());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return super.schedule(task, delay, unit);
            }
        };
        SessionCache handing = new SessionCache(takingUp, SessionCache.DEFAULT_LIMIT);
        try {
            java.net.InetAddress peer = java.net.InetAddress.getByName("127.0.0.1");
            TlsPlan plan = new TlsPlan(dev.qremote.sender.tls.TlsPolicy.opportunistic(), false, List.of(), false, 25,
                    "mx1.example", "example.test", java.util.Optional.empty(), true).withoutTls();
            SessionKey key = new SessionKey(peer, mx.address().getPort(), plan, java.util.List.of(), false, "sender.test",
                    java.util.Optional.empty(), java.util.Optional.empty());
            dev.qremote.sender.dns.Cancellation cancellation = dev.qremote.sender.dns.Cancellation.create();
            Keeping keeping = new Keeping(handing, key, Duration.ofSeconds(5), 100, cancellation);
            DialogueDeadline deadline = new DialogueDeadline(dev.qremote.sender.dns.Deadline.after(
                    java.time.Clock.systemUTC(), Duration.ofSeconds(60)), Duration.ofSeconds(5),
                    dev.qremote.sender.report.Reports.withDetail(dev.qremote.sender.report.ReportTemplate.DELIVERY_TIMED_OUT,
                            "60"));
            Attempt attempt = SmtpSession.resume(new IdleSession(client, socket, null, false, 1), peer, "sender.test",
                    plan, context.tlsContexts, java.util.Optional.empty(), 32768, deadline, keeping,
                    Envelope.of("a@sender.test", List.of("b@example.test")).orElseThrow(),
                    MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.US_ASCII)), null);
            assertThat(takenUp).as("the session was taken up as it was kept").containsExactly(250);
            assertThat(Printed.of(attempt)).as("the K of the delivery that kept it").isEqualTo(K);
            assertThat(socket.isClosed()).as("not closed under the delivery that took it up").isFalse();
            assertThat(handing.idleCount()).isEqualTo(1);
            assertThat(mx.messages()).as("the one before, and this one sent once").hasSize(2);
        } finally {
            handing.close();
            takingUp.shutdownNow();
        }
    }

    private String deliver() {
        return deliver("a@sender.test");
    }

    private String deliver(String sender) {
        return Printed.of(new DeliveryEngine(context).deliver(request(sender)));
    }

    private static DeliveryRequest request(String sender) {
        return DeliveryRequest.of("example.test", sender, List.of("b@example.test"),
                MessageSource.ofBytes("Hi.\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
