package dev.qremote.sender.settings;

import dev.qremote.sender.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.dns.DnssecMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSnapshotsTest {
    private static final Duration RECHECK = Duration.ofSeconds(1);

    @TempDir
    Path home;
    private final MutableClock clock = new MutableClock();
    private ControlSnapshots snapshots;

    @BeforeEach
    void setUp() throws Exception {
        write("me", "me.test\n");
        snapshots = new ControlSnapshots(home, clock, RECHECK);
    }

    private Path write(String name, String content) throws Exception {
        Path file = home.resolve("control").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private String helo() throws Exception {
        return snapshots.current().controls().get().heloHost();
    }

    @Test
    void unchangedFilesGiveTheSameSnapshotAfterEveryInterval() {
        ControlSnapshot first = snapshots.current();
        for (int i = 0; i < 5; i++) {
            clock.advance(RECHECK);
            assertThat(snapshots.current()).isSameAs(first);
        }
    }

    @Test
    void aChangedFileIsReadAfterTheIntervalAndADeliveryKeepsItsSnapshot() throws Exception {
        ControlSnapshot delivery = snapshots.current();
        write("me", "other.test\n");
        clock.advance(RECHECK.minusMillis(1));
        assertThat(snapshots.current()).as("within the interval the files are not looked at").isSameAs(delivery);
        clock.advance(Duration.ofMillis(1));
        ControlSnapshot next = snapshots.current();
        assertThat(next).isNotSameAs(delivery);
        assertThat(next.controls().get().heloHost()).isEqualTo("other.test");
        assertThat(delivery.controls().get().heloHost()).as("a delivery in flight").isEqualTo("me.test");
    }

    @Test
    void aFileThatAppearsLaterIsNoticed() throws Exception {
        assertThat(snapshots.current().dnssec().get()).isEqualTo(DnssecMode.VALIDATE);
        write("dnssec", "off\n");
        clock.advance(RECHECK);
        assertThat(snapshots.current().dnssec().get()).isEqualTo(DnssecMode.OFF);
        Files.delete(home.resolve("control/dnssec"));
        clock.advance(RECHECK);
        assertThat(snapshots.current().dnssec().get()).isEqualTo(DnssecMode.VALIDATE);
    }

    @Test
    void aNameAddedToNoTlsHostsIsNoticed() throws Exception {
        Files.createDirectories(home.resolve("control/notlshosts"));
        assertThat(snapshots.current().inNoTlsHosts("mx.test")).isFalse();
        write("notlshosts/mx.test", "");
        clock.advance(RECHECK);
        assertThat(snapshots.current().inNoTlsHosts("mx.test")).isTrue();
    }

    @Test
    void aFileReplacedByRenameWithTheSameSizeAndTimeIsNoticed() throws Exception {
        Path me = home.resolve("control/me");
        FileTime time = Files.getLastModifiedTime(me);
        Path staging = Files.createDirectories(home.resolve("staging")); // the home's own time is watched too
        ControlSnapshot first = snapshots.current();
        Path control = home.resolve("control");
        FileTime directoryTime = Files.getLastModifiedTime(control);
        Path fresh = staging.resolve("me");
        Files.writeString(fresh, "us.test\n");
        Files.setLastModifiedTime(fresh, time);
        Files.move(fresh, me, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(control, directoryTime); // only the file key tells now
        assertThat(Files.size(me)).isEqualTo("me.test\n".length());
        clock.advance(RECHECK);
        assertThat(snapshots.current()).isNotSameAs(first);
        assertThat(helo()).isEqualTo("us.test");
    }

    @Test
    void aRenewedTokenFileIsNoticed() throws Exception {
        write("smtproutes", "a.test:[127.0.0.1];25|user|oauth2:token\n");
        Files.writeString(home.resolve("token"), "one\n");
        assertThat(snapshots.current().oauthToken("token")).contains("one");
        Files.writeString(home.resolve("token"), "two-two\n");
        clock.advance(RECHECK);
        assertThat(snapshots.current().oauthToken("token")).contains("two-two");
    }

    @Test
    void aProblemIsAlsoASnapshotAndItsFixIsNoticed() throws Exception {
        Files.delete(home.resolve("control/me"));
        assertThat(snapshots.current().controls().problem()).isPresent();
        write("me", "back.test\n");
        clock.advance(RECHECK);
        assertThat(helo()).isEqualTo("back.test");
    }

    @Test
    void aClockThatWentBackChecksAgain() throws Exception {
        ControlSnapshot first = snapshots.current();
        write("me", "later.test\n");
        clock.advance(Duration.ofSeconds(-10));
        assertThat(snapshots.current()).isNotSameAs(first);
    }

    @Test
    void zeroLooksEveryTimeAndNegativeIsRefused() throws Exception {
        ControlSnapshots always = new ControlSnapshots(home, clock, Duration.ZERO);
        ControlSnapshot first = always.current();
        assertThat(always.current()).isSameAs(first);
        write("me", "at-once.test\n");
        assertThat(always.current().controls().get().heloHost()).isEqualTo("at-once.test");
        assertThatThrownBy(() -> new ControlSnapshots(home, clock, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyThreadsAtOnceShareOneReadAndSeeTheLastChange() throws Exception {
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ControlSnapshot>> firsts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                firsts.add(pool.submit(() -> {
                    start.await();
                    return snapshots.current();
                }));
            }
            start.countDown();
            Set<ControlSnapshot> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<ControlSnapshot> f : firsts) {
                seen.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(seen).as("the first read is shared by every caller").hasSize(1);

            // callers keep asking while the clock moves and a file changes under them
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    List<String> helos = new ArrayList<>();
                    for (int k = 0; k < 200; k++) {
                        helos.add(snapshots.current().controls().get().heloHost());
                    }
                    return helos;
                }));
            }
            go.countDown();
            Path staging = Files.createDirectories(home.resolve("staging"));
            for (int round = 0; round < 20; round++) {
                // replaced as a careful admin does, by rename: a reader never sees half a file
                Files.writeString(staging.resolve("me"), "x".repeat(round + 1) + ".test\n");
                Files.move(staging.resolve("me"), home.resolve("control/me"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                clock.advance(RECHECK);
            }
            for (Future<List<String>> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).allMatch(h -> h.matches("(me|x+)\\.test"));
            }
            clock.advance(RECHECK);
            assertThat(helo()).isEqualTo("x".repeat(20) + ".test");
        } finally {
            pool.shutdownNow();
        }
    }
}
