package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of qmail's tcpto.c, on the 64 x 16-byte file qmail-tcpto reads. */
class TimeoutMemoryTest {
    @TempDir
    Path dir;

    private TimeoutMemory at(long second) {
        return new TimeoutMemory(dir.resolve("tcpto"), Clock.fixed(Instant.ofEpochSecond(second), ZoneOffset.UTC), 0);
    }

    @Test
    void twoTimeoutsTwoMinutesApartSkipTheHostForAboutAnHour() throws Exception {
        Files.write(dir.resolve("tcpto"), new byte[1024]);
        InetAddress host = InetAddress.getByName("192.0.2.9");
        long t0 = 1_700_000_000L;

        at(t0).record(host, true);
        assertThat(at(t0 + 10).shouldSkip(host)).as("one timeout is not enough").isFalse();
        at(t0 + 60).record(host, true);
        assertThat(at(t0 + 61).shouldSkip(host)).as("a second timeout within 2 minutes does not count").isFalse();
        at(t0 + 130).record(host, true);
        assertThat(at(t0 + 131).shouldSkip(host)).isTrue();
        assertThat(at(t0 + 130 + 60 * 64 - 1).shouldSkip(host)).as("pid 0: (60+0)<<6 seconds").isTrue();
        assertThat(at(t0 + 130 + 60 * 64).shouldSkip(host)).isFalse();

        byte[] table = Files.readAllBytes(dir.resolve("tcpto"));
        assertThat(new byte[] {table[0], table[1], table[2], table[3], table[4]})
                .containsExactly(192, 0, 2, 9, 2);
    }

    @Test
    void aSuccessfulConnectionClearsTheErrors() throws Exception {
        Files.write(dir.resolve("tcpto"), new byte[1024]);
        InetAddress host = InetAddress.getByName("192.0.2.9");
        at(100).record(host, true);
        at(300).record(host, true);
        TimeoutMemory later = at(301);
        assertThat(later.shouldSkip(host)).isTrue();
        later.record(host, false);
        assertThat(Files.readAllBytes(dir.resolve("tcpto"))[4]).isZero();
    }

    @Test
    void aMadeConnectionClearsOnlyWhatTheCheckBeforeItSaw() throws Exception {
        Files.write(dir.resolve("tcpto"), new byte[1024]);
        InetAddress host = InetAddress.getByName("192.0.2.9");
        TimeoutMemory.Check before = at(99).check(host);
        assertThat(before).isEqualTo(TimeoutMemory.Check.UNLISTED);
        at(100).record(host, true); // another delivery's timeouts, between this one's check and its connection
        at(300).record(host, true);
        at(301).record(host, false, before);
        assertThat(at(302).check(host)).as("classic's flagwasthere: not there before, not cleared")
                .isEqualTo(TimeoutMemory.Check.SKIP);
        at(303).record(host, false, at(302).check(host));
        assertThat(at(304).check(host)).isEqualTo(TimeoutMemory.Check.LISTED);
        assertThat(Files.readAllBytes(dir.resolve("tcpto"))[4]).isZero();
    }

    @Test
    void withoutTheFileNothingIsRemembered() throws Exception {
        InetAddress host = InetAddress.getByName("192.0.2.9");
        at(100).record(host, true);
        assertThat(Files.exists(dir.resolve("tcpto"))).isFalse();
        assertThat(at(101).shouldSkip(host)).isFalse();
    }

    /**
     * Many deliveries in one JVM record at once. A second FileChannel lock on the same file from the same
     * JVM throws OverlappingFileLockException; once that was swallowed and the entry lost.
     */
    @Test
    void sixtyFourThreadsOfOneJvmLoseNoEntry() throws Exception {
        Files.write(dir.resolve("tcpto"), new byte[1024]);
        TimeoutMemory shared = at(1000);
        TimeoutMemory second = at(1000); // a second engine in the same JVM, on the same file
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            InetAddress host = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i});
            TimeoutMemory memory = i % 2 == 0 ? shared : second;
            done.add(pool.submit(() -> {
                start.await();
                memory.record(host, true);
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        byte[] table = Files.readAllBytes(dir.resolve("tcpto"));
        java.util.Set<Integer> recorded = new java.util.TreeSet<>();
        for (int i = 0; i < 64; i++) {
            assertThat(table[i * 16 + 4]).as("record %d has one error", i).isEqualTo((byte) 1);
            recorded.add(table[i * 16 + 3] & 0xff);
        }
        assertThat(recorded).hasSize(64);
    }

    /** Classic clears a host's errors on success only when the check before the connection found it. */
    @Test
    void aSuccessForAnUnknownHostWritesNothing() throws Exception {
        Files.write(dir.resolve("tcpto"), new byte[1024]);
        InetAddress host = InetAddress.getByName("192.0.2.9");
        at(100).record(host, false);
        assertThat(Files.readAllBytes(dir.resolve("tcpto"))).containsOnly(0);
    }

    /** A FIFO where the table should be blocked every delivery in open; it is no memory, at once. */
    @Test
    void aFifoInPlaceOfTheTableIsNoMemory() throws Exception {
        Path fifo = dir.resolve("tcpto");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is needed");
        InetAddress host = InetAddress.getByName("192.0.2.9");
        java.util.concurrent.CompletableFuture<Boolean> skipped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            at(100).record(host, true);
            return at(101).shouldSkip(host);
        });
        assertThat(skipped.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
    }
}
