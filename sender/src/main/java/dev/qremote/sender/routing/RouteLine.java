package dev.qremote.sender.routing;

import java.util.Optional;

/**
 * The value of one route line, in each dialect the seeds show:
 * classic qmail {@code relay[:port]} (text after the port ignored);
 * s/qmail {@code relay[;[s]port][|user|password][|localip]} or {@code relay[;[s]port]||localip} (known by
 * its ';' or '|');
 * Qsmtp {@code relay:port:user:secret}.
 * A bracketed relay may hold colons ({@code [2001:db8::1]}). An empty relay means "use MX".
 */
final class RouteLine {
    private RouteLine() {
    }

    /** The route of {@code value} for {@code host}, or empty when the relay is empty (MX). */
    static Optional<Route.Relay> parse(String value, int defaultPort, String file, String host) throws RouteException {
        int relayEnd = relayEnd(value);
        String relay = value.substring(0, relayEnd);
        String rest = value.substring(relayEnd);
        if (rest.startsWith(";") || rest.startsWith("|")) {
            return sQmail(relay, rest, defaultPort, file, host);
        }
        if (rest.isEmpty()) {
            return relay.isEmpty() ? Optional.empty() : Optional.of(relay(relay, defaultPort, false, null, null, file));
        }
        // rest starts with ':'
        String[] fields = rest.substring(1).split(":", -1);
        int port = port(fields[0], file, host);
        if (fields.length >= 3 && !fields[1].isEmpty()) {
            Credentials credentials = new Credentials(fields[1], fields[2]);
            return Optional.of(relay(relay, port, false, credentials, null, file + " (Qsmtp form)"));
        }
        return relay.isEmpty() ? Optional.empty() : Optional.of(relay(relay, port, false, null, null, file));
    }

    private static Optional<Route.Relay> sQmail(String relay, String rest, int defaultPort, String file, String host)
            throws RouteException {
        int port = defaultPort;
        boolean implicit = false;
        String afterPort = rest;
        if (rest.startsWith(";")) {
            int bar = rest.indexOf('|');
            String portText = bar < 0 ? rest.substring(1) : rest.substring(1, bar);
            afterPort = bar < 0 ? "" : rest.substring(bar);
            if (portText.startsWith("s")) {
                implicit = true;
                portText = portText.substring(1);
            }
            if (!portText.isEmpty()) {
                port = port(portText, file, host);
            } else if (implicit) {
                port = 465;
            }
            implicit |= port == 465;
        }
        Credentials credentials = null;
        String local = null;
        if (!afterPort.isEmpty()) {
            String[] fields = afterPort.substring(1).split("\\|", -1);
            if (fields.length == 2 && fields[0].isEmpty()) {
                local = fields[1]; // "relay||localip": no credentials, a local address
            } else {
                if (fields.length >= 2 && !fields[0].isEmpty()) {
                    credentials = new Credentials(fields[0], fields[1]);
                }
                if (fields.length >= 3 && !fields[2].isEmpty()) {
                    local = fields[2];
                }
                if (credentials != null && (fields.length > 3 || local != null && !addressLike(local))) {
                    // the field is most likely a password's tail: it is never quoted
                    throw new RouteException(file + ": the field after the password is not an IP address"
                            + " (a password cannot contain '|')");
                }
            }
        }
        if (relay.isEmpty()) {
            if (credentials != null || local != null || implicit || port != defaultPort) {
                throw new RouteException(file + ": the route for " + host + " has settings but no relay");
            }
            return Optional.empty();
        }
        return Optional.of(relay(relay, port, implicit, credentials, local, file));
    }

    private static Route.Relay relay(String relay, int port, boolean implicit, Credentials credentials, String local,
            String file) {
        return new Route.Relay(relay, port, implicit, Optional.ofNullable(credentials), Optional.ofNullable(local), file);
    }

    /**
     * Whether {@code text} looks like what a local-address field holds: an IPv4 literal, or an IPv6 literal
     * with an optional "%ifname". The literal itself is checked where it is bound.
     */
    static boolean addressLike(String text) {
        int percent = text.indexOf('%');
        String address = percent < 0 ? text : text.substring(0, percent);
        if (address.isEmpty() || !address.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        if (address.indexOf(':') < 0) {
            return percent < 0 && address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        }
        return percent < 0 || text.substring(percent + 1).matches("[A-Za-z0-9_.-]{1,15}");
    }

    /** Where the relay ends: at the first ':', ';' or '|', except inside brackets. */
    private static int relayEnd(String value) {
        int from = value.startsWith("[") && value.indexOf(']') > 0 ? value.indexOf(']') + 1 : 0;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || c == ';' || c == '|') {
                return i;
            }
        }
        return value.length();
    }

    /** Leading decimal digits, as classic scan_ulong; trailing text is ignored. */
    static int port(String text, String file, String host) throws RouteException {
        int i = 0;
        long port = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && port <= 65535) {
            port = port * 10 + (text.charAt(i) - '0');
            i++;
        }
        if (i == 0 || port < 1 || port > 65535) {
            throw new RouteException(file + ": the route for " + host + " has no valid port");
        }
        return (int) port;
    }
}
