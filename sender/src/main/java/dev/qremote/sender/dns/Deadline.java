package dev.qremote.sender.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The instant by which a delivery must be done with everything before the message transfer (DNS, the walk
 * over addresses, the SMTP dialogue up to DATA), read from {@code clock}. Here in dns because DNS is the
 * lowest layer that waits on it; delivery hands it on.
 */
public record Deadline(Clock clock, Instant end, Cancellation cancellation) {
    private static final Duration MINIMUM_WAIT = Duration.ofMillis(1);

    /** A deadline that cannot be cancelled. */
    public Deadline(Clock clock, Instant end) {
        this(clock, end, Cancellation.create());
    }

    /** {@code budget} from now. */
    public static Deadline after(Clock clock, Duration budget) {
        return new Deadline(clock, clock.instant().plus(budget));
    }

    /** {@code budget} from now or {@code end}, whichever comes first; passed at once when cancelled. */
    public static Deadline after(Clock clock, Duration budget, java.util.Optional<Instant> end, Cancellation cancellation) {
        Instant byBudget = clock.instant().plus(budget);
        return new Deadline(clock, end.filter(e -> e.isBefore(byBudget)).orElse(byBudget), cancellation);
    }

    /** A deadline that never comes, for callers that bound nothing (tests, standalone lookups). */
    public static Deadline none() {
        return new Deadline(Clock.systemUTC(), Instant.MAX);
    }

    /** The time left, never negative: zero once expired or cancelled. */
    public Duration remaining() {
        if (cancellation.cancelled()) {
            return Duration.ZERO;
        }
        if (end.equals(Instant.MAX)) {
            return java.time.temporal.ChronoUnit.FOREVER.getDuration(); // between() would overflow, slowly
        }
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * True once less than a millisecond is left: no wait fits in less (socket timeouts count whole
     * milliseconds, and 0 means "forever"), and a wait cut to the time left ends just short of the end.
     */
    public boolean expired() {
        return remaining().compareTo(MINIMUM_WAIT) < 0;
    }

    /** {@code timeout}, shortened to the time left: the wait for one step (a query, a connection). */
    public Duration bound(Duration timeout) {
        Duration left = remaining();
        return left.compareTo(timeout) < 0 ? left : timeout;
    }
}
