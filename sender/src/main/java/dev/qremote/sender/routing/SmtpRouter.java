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
        return decide(host, sender, smtpRoutes, authSenders, qmtpRoutes, defaultPort).route();
    }

    /**
     * The route and the control line that chose it (none when no line applies), for qmail-remote-check.
     *
     * @throws RouteException as {@link #route}
     */
    public static Decision decide(String host, String sender, KeyedTable smtpRoutes, KeyedTable authSenders,
            KeyedTable qmtpRoutes, int defaultPort) throws RouteException {
        Optional<String> bySender = senderKey(sender, authSenders);
        if (bySender.isPresent()) {
            Optional<Route.Relay> relay = RouteLine.parse(authSenders.get(bySender.get()).orElseThrow(), defaultPort,
                    "authsenders", host);
            if (relay.isPresent()) {
                return new Decision(relay.get(), Optional.of(line("authsenders", bySender.get(), authSenders)));
            }
        }
        Optional<String> qmtp = sender.isEmpty() ? present("!@", qmtpRoutes) : Optional.empty();
        if (qmtp.isEmpty()) {
            qmtp = key(host, qmtpRoutes);
        }
        if (qmtp.isPresent()) {
            Optional<Route.Relay> relay = RouteLine.parse(qmtpRoutes.get(qmtp.get()).orElseThrow(), Route.Qmtp.PORT,
                    "qmtproutes", host);
            if (relay.isPresent()) {
                int port = relay.get().port();
                return new Decision(new Route.Qmtp(relay.get().relay(), port,
                        port == Route.Qmtp.TLS_PORT || relay.get().implicitTls()),
                        Optional.of(line("qmtproutes", qmtp.get(), qmtpRoutes)));
            }
        }
        Optional<String> key = sender.isEmpty() ? present("!@", smtpRoutes) : Optional.empty();
        if (key.isEmpty()) {
            key = key(host, smtpRoutes);
        }
        if (key.isEmpty()) {
            return new Decision(new Route.MailExchangers(host, defaultPort), Optional.empty());
        }
        String value = smtpRoutes.get(key.get()).orElseThrow();
        Optional<ChosenBy> chosenBy = Optional.of(line("smtproutes", key.get(), smtpRoutes));
        Optional<Route.Relay> relay = RouteLine.parse(value, defaultPort, "smtproutes", host);
        if (relay.isPresent()) {
            return new Decision(relay.get(), chosenBy);
        }
        int port = classicPortOfEmptyRelay(value, defaultPort, host);
        return new Decision(new Route.MailExchangers(host, port), chosenBy);
    }

    /** A route and the line that chose it. */
    public record Decision(Route route, Optional<ChosenBy> chosenBy) {
    }

    /** A control file's line: the file, the key as looked up, and the line number (0 when unknown). */
    public record ChosenBy(String file, String key, int line) {
    }

    /**
     * What each line of a route file would say when chosen: the problems ("FILE line N: ..."), in line
     * order, that a delivery picking the line would report (qmail-remote-check).
     */
    public static List<String> lineProblems(KeyedTable table, String file) {
        List<String> out = new ArrayList<>();
        List<String> keys = new ArrayList<>(table.keys());
        keys.sort(java.util.Comparator.comparingInt(table::lineOf));
        for (String key : keys) {
            try {
                RouteLine.parse(table.get(key).orElseThrow(), file.equals("qmtproutes") ? Route.Qmtp.PORT : 25, file,
                        key.isEmpty() ? "(every host)" : key);
            } catch (RouteException e) {
                String message = e.getMessage();
                out.add(message.startsWith(file + ": ") ? file + " line " + table.lineOf(key) + ": "
                        + message.substring(file.length() + 2) : message);
            }
        }
        return out;
    }

    /**
     * The local address each line of a route file would bind (s/qmail's last field), by line number, for the
     * lines that name one and can be followed (qmail-remote-check binds them).
     */
    public static java.util.SortedMap<Integer, String> localAddresses(KeyedTable table, String file) {
        java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
        for (String key : table.keys()) {
            try {
                RouteLine.parse(table.get(key).orElseThrow(), 25, file, key).flatMap(Route.Relay::localAddress)
                        .ifPresent(a -> out.put(table.lineOf(key), a));
            } catch (RouteException e) {
                // lineProblems names it
            }
        }
        return out;
    }

    private static ChosenBy line(String file, String key, KeyedTable table) {
        return new ChosenBy(file, key, table.lineOf(key));
    }

    private static Optional<String> present(String key, KeyedTable table) {
        return table.get(key).isPresent() ? Optional.of(key) : Optional.empty();
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
        return key(host, table).flatMap(table::get);
    }

    /** The key that decides for {@code host}: the whole host, each suffix from a dot, then the empty key. */
    private static Optional<String> key(String host, KeyedTable table) {
        for (int i = 0; i <= host.length(); i++) {
            if (i == 0 || i == host.length() || host.charAt(i) == '.') {
                if (table.get(host.substring(i)).isPresent()) {
                    return Optional.of(host.substring(i));
                }
            }
        }
        return Optional.empty();
    }

    /** s/qmail's authsenders keys: the sender, then from each '.' and '@' on, then the empty key. */
    static Optional<String> senderLookup(String sender, KeyedTable table) {
        return senderKey(sender, table).flatMap(table::get);
    }

    private static Optional<String> senderKey(String sender, KeyedTable table) {
        if (table.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < sender.length(); i++) {
            if (i == 0 || sender.charAt(i) == '.' || sender.charAt(i) == '@') {
                if (table.get(sender.substring(i)).isPresent()) {
                    return Optional.of(sender.substring(i));
                }
            }
        }
        return present("", table);
    }

    /** ".example.com::2526": MX, but on that port. */
    private static int classicPortOfEmptyRelay(String value, int defaultPort, String host) throws RouteException {
        return value.startsWith(":") && value.length() > 1 ? RouteLine.port(value.substring(1), "smtproutes", host)
                : defaultPort;
    }
}
