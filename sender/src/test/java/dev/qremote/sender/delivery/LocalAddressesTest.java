package dev.qremote.sender.delivery;

import dev.qremote.sender.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_000));
    private final AtomicInteger listings = new AtomicInteger();
    private volatile Set<InetAddress> interfaces;

    private LocalAddresses addresses() {
        return new LocalAddresses(() -> {
            listings.incrementAndGet();
            return interfaces;
        }, clock, Duration.ofSeconds(60));
    }

    @Test
    void aListingIsUsedUntilItIsOlderThanTheInterval() throws Exception {
        interfaces = Set.of(InetAddress.getByName("127.0.0.1"));
        LocalAddresses mine = addresses();
        assertThat(mine.get()).containsExactly(InetAddress.getByName("127.0.0.1"));
        interfaces = Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("192.0.2.5"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(mine.get()).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(mine.get()).contains(InetAddress.getByName("192.0.2.5"));
        assertThat(listings).hasValue(2);
    }

    @Test
    void aFailedListingIsNotKept() throws Exception {
        LocalAddresses mine = new LocalAddresses(() -> {
            if (listings.incrementAndGet() == 1) {
                throw new IOException("no interfaces");
            }
            return Set.of(InetAddress.getByName("127.0.0.1"));
        }, clock, Duration.ofSeconds(60));
        assertThatThrownBy(mine::get).isInstanceOf(IOException.class);
        assertThat(mine.get()).hasSize(1);
    }

    @Test
    void manyThreadsShareOneListing() throws Exception {
        interfaces = Set.of(InetAddress.getByName("127.0.0.1"));
        LocalAddresses mine = addresses();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Set<InetAddress>>> seen = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            seen.add(pool.submit(() -> {
                start.await();
                return mine.get();
            }));
        }
        start.countDown();
        for (Future<Set<InetAddress>> f : seen) {
            assertThat(f.get()).containsExactly(InetAddress.getByName("127.0.0.1"));
        }
        pool.shutdown();
        assertThat(listings).hasValue(1);
    }
}
