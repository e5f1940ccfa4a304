package dev.qremote.sender.routing;

/** Where a delivery goes: the host's own mail exchangers, or a relay named by a control file. */
public sealed interface Route {

    /** The TCP port to connect to. */
    int port();

    /** Look up the MX records of {@code domain} (implicit MX when it has none). */
    record MailExchangers(String domain, int port) implements Route {
    }

    /**
     * Connect to {@code relay} as if it were the only MX: a name looked up for addresses or a bracketed
     * literal. The best-MX loop check does not apply to relays.
     */
    record Relay(String relay, int port) implements Route {
    }
}
