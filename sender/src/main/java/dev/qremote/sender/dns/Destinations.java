package dev.qremote.sender.dns;

import java.util.List;

/** The outcome of finding where mail for a host goes. */
public sealed interface Destinations {

    /** Addresses in the order to try: preference, ties shuffled, IPv4 before IPv6 for each MX. */
    record Found(List<Destination> destinations) implements Destinations {
        public Found {
            destinations = List.copyOf(destinations);
        }
    }

    /** The name does not exist. */
    record NoSuchHost(String name) implements Destinations {
    }

    /** MX hosts (or the host itself) exist but none has an address. */
    record NoAddress() implements Destinations {
    }

    /** The domain says it accepts no mail (RFC 7505). */
    record NullMx(String domain) implements Destinations {
    }
}
