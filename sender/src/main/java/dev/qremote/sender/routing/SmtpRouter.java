package dev.qremote.sender.routing;

import dev.qremote.sender.control.KeyedTable;
import java.util.Optional;

/**
 * Classic {@code smtproutes}: the whole host is tried first, then each suffix starting at a dot
 * ({@code .b.c}, {@code .c}), then the empty key. The first key found decides; an empty relay means MX.
 */
public final class SmtpRouter {
    private SmtpRouter() {
    }

    public static Route route(String host, KeyedTable smtpRoutes, int defaultPort) throws RouteException {
        Optional<String> value = lookup(host, smtpRoutes);
        if (value.isEmpty() || value.get().isEmpty()) {
            return new Route.MailExchangers(host, defaultPort);
        }
        String relayAndPort = value.get();
        int colon = portSeparator(relayAndPort);
        String relay = colon < 0 ? relayAndPort : relayAndPort.substring(0, colon);
        int port = colon < 0 ? defaultPort : port(relayAndPort.substring(colon + 1), host);
        if (relay.isEmpty()) {
            return new Route.MailExchangers(host, port);
        }
        return new Route.Relay(relay, port);
    }

    static Optional<String> lookup(String host, KeyedTable table) {
        for (int i = 0; i <= host.length(); i++) {
            if (i == 0 || i == host.length() || host.charAt(i) == '.') {
                Optional<String> found = table.get(host.substring(i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The colon before the port; inside a bracketed IPv6 literal colons belong to the address. */
    private static int portSeparator(String value) {
        int from = value.startsWith("[") ? Math.max(0, value.indexOf(']')) : 0;
        return value.indexOf(':', from);
    }

    /** Leading decimal digits, as classic scan_ulong; trailing text (another dialect's fields) is ignored. */
    private static int port(String text, String host) throws RouteException {
        int i = 0;
        long port = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && port <= 65535) {
            port = port * 10 + (text.charAt(i) - '0');
            i++;
        }
        if (i == 0 || port < 1 || port > 65535) {
            throw new RouteException("smtproutes: the route for " + host + " has no valid port");
        }
        return (int) port;
    }
}
