package dev.qremote.sender.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The machine's own addresses (qmail's ipme) for the MX loop check, listed once and then again when they
 * are older than the refresh interval: listing the interfaces costs more than a whole delivery's CPU goal.
 * An address added to an interface counts for the loop check within one interval. Thread-safe; a failed
 * listing is reported to the caller and not cached, so the next delivery asks again.
 */
public final class LocalAddresses {
    /** Where the addresses come from: the interfaces of the machine, or a test's choice. */
    @FunctionalInterface
    public interface Source {
        Set<InetAddress> list() throws IOException;
    }

    private record Listing(Set<InetAddress> addresses, Instant taken) {
    }

    private final Source source;
    private final Clock clock;
    private final Duration refresh;
    private volatile Listing current;

    /** @param refresh how long a listing is used, for example 60 seconds */
    public LocalAddresses(Source source, Clock clock, Duration refresh) {
        this.source = source;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** @throws IOException when the machine's addresses cannot be listed */
    public Set<InetAddress> get() throws IOException {
        Listing listing = current;
        if (listing != null && fresh(listing)) {
            return listing.addresses();
        }
        synchronized (this) {
            listing = current;
            if (listing == null || !fresh(listing)) {
                listing = new Listing(Set.copyOf(source.list()), clock.instant());
                current = listing;
            }
            return listing.addresses();
        }
    }

    private boolean fresh(Listing listing) {
        Duration age = Duration.between(listing.taken(), clock.instant());
        return !age.isNegative() && age.compareTo(refresh) < 0;
    }
}
