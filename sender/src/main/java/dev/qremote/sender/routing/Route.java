package dev.qremote.sender.routing;

import java.util.Optional;

/** Where a delivery goes: the host's own mail exchangers, or a relay named by a control file. */
public sealed interface Route {

    /** The TCP port to connect to. */
    int port();

    /** Credentials for SMTP AUTH, when the route has them. */
    Optional<Credentials> credentials();

    /** Look up the MX records of {@code domain} (implicit MX when it has none). */
    record MailExchangers(String domain, int port) implements Route {
        @Override
        public Optional<Credentials> credentials() {
            return Optional.empty();
        }
    }

    /**
     * Connect to {@code relay} as if it were the only MX: a name looked up for addresses or a bracketed
     * literal. The best-MX loop check does not apply to relays. {@code implicitTls}: the port was written
     * with s/qmail's "s" (TLS from the first byte); {@code localAddress}: bind to it (s/qmail's last field).
     * {@code source} names the control file line, for messages.
     */
    record Relay(String relay, int port, boolean implicitTls, Optional<Credentials> credentials,
            Optional<String> localAddress, String source) implements Route {
    }

    /** QMTP to {@code relay} (s/qmail's qmtproutes); port 209, or 6209 for QMTPS (TLS from the first byte). */
    record Qmtp(String relay, int port, boolean tls) implements Route {
        public static final int PORT = 209;
        public static final int TLS_PORT = 6209;

        @Override
        public Optional<Credentials> credentials() {
            return Optional.empty();
        }
    }
}
