package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void cancellingPassesTheDeadlineAndClosesWhatWasRegistered() throws Exception {
        Cancellation cancellation = Cancellation.create();
        Deadline deadline = Deadline.after(Clock.systemUTC(), Duration.ofMinutes(5), Optional.empty(), cancellation);
        Socket before = new Socket();
        cancellation.closeOnCancel(before);
        assertThat(deadline.expired()).isFalse();
        cancellation.cancel();
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remaining()).isZero();
        assertThat(before.isClosed()).isTrue();
        Socket after = new Socket();
        cancellation.closeOnCancel(after);
        assertThat(after.isClosed()).as("registered after the cancel: closed at once").isTrue();
    }

    @Test
    void aRequestDeadlineEarlierThanTheBudgetWins() {
        Clock clock = Clock.systemUTC();
        java.time.Instant soon = clock.instant().plusSeconds(10);
        Deadline deadline = Deadline.after(clock, Duration.ofMinutes(5), Optional.of(soon), Cancellation.create());
        assertThat(deadline.end()).isEqualTo(soon);
        Deadline later = Deadline.after(clock, Duration.ofSeconds(5), Optional.of(soon), Cancellation.create());
        assertThat(later.end()).isBefore(soon);
    }
}
