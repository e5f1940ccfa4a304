package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakemx.ReceivedMessage;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.message.MessageSource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session reuse under load: one engine and one {@link SessionCache}, many threads delivering over STARTTLS and
 * plaintext to two polite fake-mx servers with control/reuseidle 1, some threads waiting about the idle time
 * between deliveries so that kept sessions expire on the timer just as a delivery takes them. Every report
 * must be a K and every message must arrive exactly once; the text of each non-K is printed (and kept in
 * target/reuse-stress-nonk.txt) so a rare one can be told a timeout from a bug. Tagged "stress"; the
 * default size takes some seconds; -Dreuse.stress.deliveries=N -Dreuse.stress.threads=T
 * -Dreuse.stress.idlers=I make a long run. Before SmtpSession gave a kept session to the cache last, 20,000
 * deliveries from 32 threads had 3 TLS messages arrive twice, and 40,000 from 64 threads a Z "connection died.
 * Possible duplicate!" (SessionReuseTest has the deterministic case).
 */
@Tag("stress")
class ReuseStressTest {
    private static final int DELIVERIES = Integer.getInteger("reuse.stress.deliveries", 600);
    private static final int THREADS = Integer.getInteger("reuse.stress.threads", 16);
    /** Of every four threads, how many wait about the idle time between deliveries (4: all of them). */
    private static final int IDLERS = Integer.getInteger("reuse.stress.idlers", 1);
    private static final String TLS_ADDRESS = "127.0.0.2";
    private static final String PLAIN_ADDRESS = "127.0.0.3";
    private static final int FD_TOLERANCE = 2;

    @TempDir
    Path home;
    private FakeDnsServer dns;
    private SmtpServer tlsSink;
    private SmtpServer plainSink;
    private LoopbackContext context;
    private SessionCache cache;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/reuseidle"), "1\n");
        tlsSink = SmtpServer.start(InetAddress.getByName(TLS_ADDRESS), 0, SmtpScript.builder()
                .starttls(TestCertificates.create(KeyKind.ECDSA).leaf("tls.test")).build());
        plainSink = SmtpServer.start(InetAddress.getByName(PLAIN_ADDRESS), 0, SmtpScript.builder().build());
        Files.writeString(home.resolve("control/smtproutes"),
                "tls.test:[" + TLS_ADDRESS + "]:" + tlsSink.address().getPort() + "\n"
                + "plain.test:[" + PLAIN_ADDRESS + "]:" + plainSink.address().getPort() + "\n");
        dns = FakeDnsServer.start(InetAddress.getLoopbackAddress(), 0); // routes by address: asked nothing
        context = new LoopbackContext(home, dns.address(), false);
        cache = SessionCache.create(context.timer());
        context.sessionCache(cache);
    }

    @AfterEach
    void tearDown() {
        cache.close();
        context.close();
        tlsSink.close();
        plainSink.close();
        dns.close();
    }

    @Test
    void everyDeliveryOverKeptSessionsIsOneKAndOneMessage() throws Exception {
        DeliveryEngine engine = new DeliveryEngine(context);
        // warm up (classes, TLS contexts) before the descriptors are counted
        assertThat(Printed.of(engine.deliver(request("tls.test", "warm-tls")))).startsWith(k(TLS_ADDRESS, true));
        assertThat(Printed.of(engine.deliver(request("plain.test", "warm-plain")))).startsWith(k(PLAIN_ADDRESS, false));
        cache.close();
        cache = SessionCache.create(context.timer());
        context.sessionCache(cache);
        tlsSink.awaitIdle(Duration.ofSeconds(5));
        plainSink.awaitIdle(Duration.ofSeconds(5));
        long fdsBefore = openFiles();

        List<String> nonK = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(thread);
                int n;
                while ((n = next.getAndIncrement()) < DELIVERIES) {
                    boolean tls = n % 3 != 2; // two thirds over STARTTLS
                    String id = "m" + n;
                    sent.computeIfAbsent(tls ? TLS_ADDRESS : PLAIN_ADDRESS, a -> new AtomicInteger()).incrementAndGet();
                    Instant at = Instant.now();
                    String report = Printed.of(engine.deliver(request(tls ? "tls.test" : "plain.test", id)));
                    if (!report.startsWith(k(tls ? TLS_ADDRESS : PLAIN_ADDRESS, tls))) {
                        String line = at + " " + id + (tls ? " tls " : " plain ") + "thread " + thread + " took "
                                + Duration.between(at, Instant.now()).toMillis() + " ms: "
                                + report.replace("\0", "\\0").replace("\n", "\\n");
                        nonK.add(line);
                        System.out.println("[reuse-stress] non-K " + line);
                    }
                    pause(thread, random);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long millis = (System.nanoTime() - start) / 1_000_000;
        int kept = cache.idleCount();
        cache.close();
        assertThat(tlsSink.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(plainSink.awaitIdle(Duration.ofSeconds(30))).isTrue();
        Map<String, Integer> tlsWrong = notOnce(copies(tlsSink), sent.get(TLS_ADDRESS).get(), 0);
        Map<String, Integer> plainWrong = notOnce(copies(plainSink), sent.get(PLAIN_ADDRESS).get(), 2);
        String summary = String.format("[reuse-stress] %d deliveries, %d threads (%d in 4 idling), reuseidle 1 s: %d ms, %d non-K;"
                + " connections tls %d plain %d; idle at the end %d; arrived other than once: tls %s plain %s; load %s",
                DELIVERIES, THREADS, IDLERS, millis, nonK.size(), tlsSink.connections(), plainSink.connections(), kept,
                tlsWrong, plainWrong, loadAverage());
        System.out.println(summary);
        List<String> log = new ArrayList<>(nonK);
        log.add(0, summary);
        Path out = Path.of("target/reuse-stress-nonk.txt");
        Files.write(out, log, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);

        long fdsAfter = openFiles();
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(nonK).as("every delivery a K").isEmpty();
            soft.assertThat(tlsWrong).as("messages over TLS not arrived exactly once").isEmpty();
            soft.assertThat(plainWrong).as("plaintext messages not arrived exactly once").isEmpty();
            soft.assertThat(tlsSink.connections()).as("sessions were reused").isLessThan(sent.get(TLS_ADDRESS).get());
            soft.assertThat(fdsAfter).as("no descriptor left behind").isLessThanOrEqualTo(fdsBefore + FD_TOLERANCE);
        });
    }

    /**
     * Most threads deliver back to back; {@link #IDLERS} in four wait about the idle time (1 s, give or take
     * 30 ms) so that a session expires as it is taken; one in four (unless all idle) waits a little.
     */
    private static void pause(int thread, SplittableRandom random) {
        long millis = thread % 4 < IDLERS ? 970 + random.nextInt(61) : thread % 4 == IDLERS ? random.nextInt(20) : 0;
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String k(String address, boolean tls) {
        return "r\0K" + address + (tls ? " TLS transmitted message accepted." : " accepted message.");
    }

    /** Message numbers {@code n} with {@code n % 3} in the sink's share that arrived other than once, and how often. */
    private static Map<String, Integer> notOnce(Map<String, Integer> copies, int sent, int share) {
        Map<String, Integer> wrong = new TreeMap<>();
        copies.forEach((id, count) -> {
            if (count != 1) {
                wrong.put(id, count);
            }
        });
        for (int n = 0; n < DELIVERIES; n++) {
            if ((n % 3 == 2) == (share == 2) && !copies.containsKey("m" + n)) {
                wrong.put("m" + n, 0);
            }
        }
        assertThat(copies.size() + wrong.values().stream().filter(c -> c == 0).count()).isEqualTo(sent);
        return wrong;
    }

    private static Map<String, Integer> copies(SmtpServer sink) {
        Map<String, Integer> count = new TreeMap<>();
        for (ReceivedMessage m : sink.messages()) {
            String text = m.dataText();
            int at = text.indexOf("Message-ID: <");
            String id = text.substring(at + 13, text.indexOf('>', at));
            count.merge(id, 1, Integer::sum);
        }
        count.keySet().removeIf(id -> id.startsWith("warm-"));
        return count;
    }

    private static DeliveryRequest request(String host, String id) {
        String message = "Message-ID: <" + id + ">\nFrom: a@sender.test\nTo: b@" + host + "\nSubject: stress\n\nHi.\n";
        return DeliveryRequest.of(host, "a@sender.test", List.of("b@" + host),
                MessageSource.ofBytes(message.getBytes(StandardCharsets.US_ASCII)));
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
