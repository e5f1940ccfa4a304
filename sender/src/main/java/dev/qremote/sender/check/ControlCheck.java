package dev.qremote.sender.check;

import dev.qremote.sender.control.Checked;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.ControlLine;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.control.KeyedTable;
import dev.qremote.sender.routing.Credentials;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsDestinations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every problem the sender's own parsers find in the control files, each as "control/FILE line N: why"
 * (or "control/FILE: why" where no line is to blame), in the order the sender reads the files. A delivery
 * meets the first problem of what it needs and defers; this lists them all.
 */
final class ControlCheck {
    private static final String OAUTH = "oauth2:";

    private ControlCheck() {
    }

    static List<String> problems(ControlSnapshot snapshot) {
        Set<String> out = new LinkedHashSet<>();
        ControlDirectory dir = new ControlDirectory(snapshot.qmailHome());
        for (ControlFileException problem : Controls.problems(dir)) {
            out.add(named(problem.getMessage()));
        }
        if (snapshot.controls().problem().isEmpty()) {
            add(out, snapshot.tlsDestinations());
            add(out, snapshot.dnssec());
            add(out, snapshot.trustAnchors());
        } else {
            // the snapshot parses these only after the other files; tlsdestinations is worth a look anyway
            add(out, Checked.read(() -> tlsDestinations(dir)));
            add(out, Checked.read(() -> ControlSnapshot.dnssecMode(dir.line("dnssec").orElse("validate"))));
        }
        for (String file : List.of("authsenders", "qmtproutes", "smtproutes")) {
            Checked<KeyedTable> table = Checked.read(() -> KeyedTable.parseNumbered(dir.numberedLines(file)));
            if (table.problem().isEmpty()) {
                for (String problem : SmtpRouter.lineProblems(value(table), file)) {
                    out.add(named(problem));
                }
            }
        }
        if (snapshot.controls().problem().isEmpty()) {
            Controls controls = value(snapshot.controls());
            tokens(out, snapshot, "smtproutes", SmtpRouter.everyCredentials(controls.smtpRoutes(), KeyedTable.empty()));
            tokens(out, snapshot, "authsenders", SmtpRouter.everyCredentials(KeyedTable.empty(), controls.authSenders()));
            bindings(out, controls.domainIps());
        }
        add(out, snapshot.authPlaintext());
        add(out, snapshot.domainCerts());
        add(out, snapshot.tlsClientCiphers());
        return new ArrayList<>(out);
    }

    /** A domainips address qmail-remote could not bind (no literal, no such interface): its mail would defer. */
    private static void bindings(Set<String> out, KeyedTable domainIps) {
        for (String key : domainIps.keys()) {
            String written = domainIps.get(key).map(v -> v.indexOf('|') < 0 ? v : v.substring(0, v.indexOf('|')))
                    .orElse("");
            try {
                dev.qremote.sender.delivery.BindAddress.parse(written, "domainips");
            } catch (ControlFileException e) {
                String why = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
                out.add("control/domainips line " + domainIps.lineOf(key) + ": " + why);
            }
        }
    }

    /** A route's "oauth2:FILE" token file that the snapshot could not read: the route would defer. */
    private static void tokens(Set<String> out, ControlSnapshot snapshot, String file, List<Credentials> credentials) {
        for (Credentials c : credentials) {
            if (c.secret().startsWith(OAUTH) && snapshot.oauthToken(c.secret().substring(OAUTH.length())).isEmpty()) {
                out.add("control/" + file + ": the OAuth token file " + c.secret().substring(OAUTH.length())
                        + " (from the qmail home) is not a readable regular file");
            }
        }
    }

    private static TlsDestinations tlsDestinations(ControlDirectory dir) throws ControlFileException {
        List<String> inPlace = new ArrayList<>();
        for (ControlLine line : dir.numberedLines("tlsdestinations")) {
            while (inPlace.size() < line.number() - 1) {
                inPlace.add("");
            }
            inPlace.add(line.text());
        }
        try {
            return TlsDestinations.parse(inPlace);
        } catch (TlsConfigException e) {
            throw ControlFileException.invalidAsSaid(e.getMessage());
        }
    }

    private static void add(Set<String> out, Checked<?> checked) {
        checked.problem().ifPresent(problem -> out.add(named(problem.getMessage())));
    }

    /** Problems say "FILE line N: ..." or "control/FILE ..."; the check names every one under control/. */
    static String named(String problem) {
        return problem.startsWith("control/") ? problem : "control/" + problem;
    }

    static <T> T value(Checked<T> checked) {
        try {
            return checked.get();
        } catch (ControlFileException e) {
            throw new IllegalStateException("checked before", e);
        }
    }
}
