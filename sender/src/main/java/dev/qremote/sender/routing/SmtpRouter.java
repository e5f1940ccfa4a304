package dev.qremote.sender.routing;

import dev.qremote.sender.control.KeyedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where mail for a host goes, from s/qmail's control files in their order of precedence: authsenders (by
 * the sender), then qmtproutes (an empty relay there falls through), then smtproutes (by the host: the whole host, then each suffix starting at a dot, then the
 * empty key; for a bounce, the "!@" line first). The first line found decides; an empty relay means MX.
 */
public final class SmtpRouter {
    private SmtpRouter() {
    }

    public static Route route(String host, String sender, KeyedTable smtpRoutes, KeyedTable authSenders,
            int defaultPort) throws RouteException {
        return route(host, sender, smtpRoutes, authSenders, KeyedTable.empty(), defaultPort);
    }

    /** With qmtproutes, which comes after authsenders and before smtproutes ("!@" too). */
    public static Route route(String host, String sender, KeyedTable smtpRoutes, KeyedTable authSenders,
            KeyedTable qmtpRoutes, int defaultPort) throws RouteException {
        Optional<String> bySender = senderLookup(sender, authSenders);
        if (bySender.isPresent()) {
            Optional<Route.Relay> relay = RouteLine.parse(bySender.get(), defaultPort, "authsenders", host);
            if (relay.isPresent()) {
                return relay.get();
            }
        }
        Optional<String> qmtp = sender.isEmpty() ? qmtpRoutes.get("!@") : Optional.empty();
        if (qmtp.isEmpty()) {
            qmtp = lookup(host, qmtpRoutes);
        }
        if (qmtp.isPresent()) {
            Optional<Route.Relay> relay = RouteLine.parse(qmtp.get(), Route.Qmtp.PORT, "qmtproutes", host);
            if (relay.isPresent()) {
                int port = relay.get().port();
                return new Route.Qmtp(relay.get().relay(), port, port == Route.Qmtp.TLS_PORT || relay.get().implicitTls());
            }
        }
        Optional<String> value = sender.isEmpty() ? smtpRoutes.get("!@") : Optional.empty();
        if (value.isEmpty()) {
            value = lookup(host, smtpRoutes);
        }
        if (value.isEmpty()) {
            return new Route.MailExchangers(host, defaultPort);
        }
        Optional<Route.Relay> relay = RouteLine.parse(value.get(), defaultPort, "smtproutes", host);
        if (relay.isPresent()) {
            return relay.get();
        }
        int port = classicPortOfEmptyRelay(value.get(), defaultPort, host);
        return new Route.MailExchangers(host, port);
    }

    /**
     * The credentials of every route line that has them and can be followed, whatever host or sender picks
     * it: what a snapshot reads ahead (the token files of "oauth2:" secrets). Lines that cannot be followed
     * are left out; the delivery that picks one reports it.
     */
    public static List<Credentials> everyCredentials(KeyedTable smtpRoutes, KeyedTable authSenders) {
        List<Credentials> out = new ArrayList<>();
        for (String value : smtpRoutes.values()) {
            credentials(value, "smtproutes").ifPresent(out::add);
        }
        for (String value : authSenders.values()) {
            credentials(value, "authsenders").ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Credentials> credentials(String value, String file) {
        try {
            // neither the port nor the host changes which credentials a line holds
            return RouteLine.parse(value, 25, file, "").flatMap(Route::credentials);
        } catch (RouteException e) {
            return Optional.empty();
        }
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

    /** s/qmail's authsenders keys: the sender, then from each '.' and '@' on, then the empty key. */
    static Optional<String> senderLookup(String sender, KeyedTable table) {
        if (table.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < sender.length(); i++) {
            if (i == 0 || sender.charAt(i) == '.' || sender.charAt(i) == '@') {
                Optional<String> found = table.get(sender.substring(i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return table.get("");
    }

    /** ".example.com::2526": MX, but on that port. */
    private static int classicPortOfEmptyRelay(String value, int defaultPort, String host) throws RouteException {
        return value.startsWith(":") && value.length() > 1 ? RouteLine.port(value.substring(1), "smtproutes", host)
                : defaultPort;
    }
}
