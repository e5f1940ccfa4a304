package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void remainingShortensTimeoutsAndNeverGoesBelowZero() {
        Deadline deadline = Deadline.after(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10));
        assertThat(deadline.expired()).isFalse();
        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(10));
        assertThat(deadline.bound(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
        assertThat(deadline.bound(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));

        Deadline later = new Deadline(Clock.fixed(NOW.plusSeconds(11), ZoneOffset.UTC), deadline.end());
        assertThat(later.expired()).isTrue();
        assertThat(later.remaining()).isEqualTo(Duration.ZERO);
        assertThat(later.bound(Duration.ofSeconds(30))).isEqualTo(Duration.ZERO);
        assertThat(new Deadline(Clock.fixed(NOW.plusSeconds(10), ZoneOffset.UTC), deadline.end()).expired())
                .as("expired at the instant itself").isTrue();
        assertThat(new Deadline(Clock.fixed(NOW.plusSeconds(10).minusNanos(999_999), ZoneOffset.UTC), deadline.end())
                .expired()).as("less than a millisecond left is no time to wait").isTrue();
        assertThat(new Deadline(Clock.fixed(NOW.plusSeconds(10).minusMillis(1), ZoneOffset.UTC), deadline.end())
                .expired()).isFalse();
    }

    @Test
    void noneNeverExpires() {
        assertThat(Deadline.none().expired()).isFalse();
        assertThat(Deadline.none().bound(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }
}
