package dev.qremote.sender.check;

import dev.qremote.sender.attemptlog.AppendLog;
import dev.qremote.sender.control.Checked;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.ControlLine;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.control.KeyedTable;
import dev.qremote.sender.delivery.TlsPlanner;
import dev.qremote.sender.routing.Credentials;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.tls.ClientCertificateFiles;
import dev.qremote.sender.tls.ClientIdentityException;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsContexts;
import dev.qremote.sender.tls.TlsPolicy;
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
        ReadAsOther.judge(out, dir);
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
                    out.add(named(unclosed(problem, value(table), file)));
                }
            }
        }
        // each table read on its own, so that a problem in another file hides none of these (fresh7 M4)
        for (String file : List.of("smtproutes", "authsenders")) {
            tokens(out, snapshot.qmailHome(), dir, file);
        }
        Checked<KeyedTable> domainIps = Checked.read(() -> KeyedTable.parseNumbered(dir.numberedLines("domainips")));
        if (domainIps.problem().isEmpty()) {
            bindings(out, value(domainIps));
        }
        for (String file : List.of("authsenders", "smtproutes")) {
            Checked<KeyedTable> table = Checked.read(() -> KeyedTable.parseNumbered(dir.numberedLines(file)));
            if (table.problem().isEmpty()) {
                SmtpRouter.localAddresses(value(table), file).forEach((line, address) -> bindable(out, file, line, address));
            }
        }
        add(out, snapshot.hostDirectories());
        add(out, snapshot.authPlaintext());
        add(out, snapshot.domainCerts());
        if (snapshot.domainCerts().problem().isEmpty()) {
            clientCertificates(out, snapshot, dir);
        }
        add(out, snapshot.tlsClientCiphers());
        add(out, snapshot.sts()); // mtasts, tlsrequired, and with MTA-STS on its cache and CA files (fresh9 M5)
        ciphers(out, snapshot);
        TlsLines.judge(out, snapshot, dir);
        deliveryLog(out, snapshot, dir);
        tlsRptSpool(out, dir);
        clientCertPem(out, dir);
        return out.stream().map(p -> Unreadable.explained(p, dir)).distinct().toList();
    }

    /**
     * Each domaincerts line (and clientcert.pem) loaded as a delivery that presents it would load it: one that
     * cannot be loaded defers every delivery from that sender domain once a mail exchanger was found.
     * Judged with this user's rights; qmail-remote runs as qmailr.
     */
    private static void clientCertificates(Set<String> out, ControlSnapshot snapshot, ControlDirectory dir) {
        Checked<KeyedTable> numbered = Checked.read(() -> KeyedTable.parseNumbered(dir.numberedLines("domaincerts")));
        if (numbered.problem().isPresent()) {
            return;
        }
        KeyedTable table = value(numbered);
        for (String key : inFileOrder(table)) {
            ClientCertificateFiles files = TlsPlanner.certificateFiles(snapshot.qmailHome(), table.get(key).orElse(""));
            load(out, "control/domaincerts line " + table.lineOf(key), files);
        }
        if (snapshot.clientCertPem() && !table.keys().contains("*")) {
            load(out, "control/clientcert.pem", new ClientCertificateFiles(snapshot.qmailHome(), "control/clientcert.pem",
                    java.util.Optional.empty(), java.util.Optional.empty()));
        }
    }

    private static void load(Set<String> out, String where, ClientCertificateFiles files) {
        if (files.certificate().isEmpty()) {
            out.add(where + ": no certificate file is named: a delivery that would present it defers (#4.3.0)");
            return;
        }
        try {
            files.load();
        } catch (ClientIdentityException e) {
            String key = files.key().orElse(files.certificate());
            out.add(where + ": " + switch (e.problem()) {
                case CERTIFICATE -> "the certificate " + files.certificate() + " cannot be loaded: " + e.why();
                case KEY -> "the key " + key + " cannot be loaded: " + e.why();
                case MISMATCH -> "the key " + key + " does not belong to the certificate " + files.certificate();
            });
        }
    }

    /** clientcert.pem that is there but not a regular file is passed over: no certificate is presented. */
    private static void clientCertPem(Set<String> out, ControlDirectory dir) {
        java.nio.file.Path pem = dir.path("clientcert.pem");
        if (!java.nio.file.Files.isRegularFile(pem) && (java.nio.file.Files.exists(pem) || java.nio.file.Files.isSymbolicLink(pem))) {
            out.add("control/clientcert.pem is not a regular file (" + Unreadable.why(pem) + "): deliveries present no"
                    + " client certificate, as if it were not there");
        }
    }

    /**
     * A cipher list of JSSE names none of which this JDK knows: every delivery under it defers (never sent
     * with the JDK's defaults), whether the line is for a domain or an address literal.
     */
    private static void ciphers(Set<String> out, ControlSnapshot snapshot) {
        if (snapshot.tlsDestinations().problem().isEmpty()) {
            for (TlsPolicy policy : value(snapshot.tlsDestinations()).policies()) {
                unusable(policy.ciphers()).ifPresent(why -> out.add("control/" + policy.matchedRule() + ": " + why
                        + ": a delivery this line decides would defer (#4.3.0)"));
            }
        }
        if (snapshot.tlsClientCiphers().problem().isEmpty()) {
            unusable(value(snapshot.tlsClientCiphers())).ifPresent(why -> out.add("control/tlsclientciphers: " + why
                    + ": a delivery under a policy that names no ciphers would defer (#4.3.0)"));
        }
    }

    /** Why a cipher list cannot be used; empty when it can (or is empty: the JDK's defaults). */
    static java.util.Optional<String> unusable(List<String> ciphers) {
        try {
            TlsContexts.usableCiphers(ciphers);
            return java.util.Optional.empty();
        } catch (TlsConfigException e) {
            return java.util.Optional.of("no cipher suite of " + String.join(":", ciphers) + " is one this JDK knows");
        }
    }

    /**
     * The file control/deliverylog names, judged as the log would open it (with this user's rights): one that
     * cannot be written loses every line without a word. A first line starting with '#' is a file name (one-line
     * files have no comments), which is rarely what was meant.
     */
    /** A spool name no file can have turns TLS reporting off without a word at delivery time (recheck9). */
    private static void tlsRptSpool(Set<String> out, ControlDirectory dir) {
        try {
            if (dir.line("tlsrptspool").orElse("").indexOf('\0') >= 0) {
                out.add("control/tlsrptspool line 1: the name has a NUL byte, which no file name can hold: no TLS"
                        + " report would be spooled");
            }
        } catch (ControlFileException e) {
            out.add(e.getMessage());
        }
    }

    private static void deliveryLog(Set<String> out, ControlSnapshot snapshot, ControlDirectory dir) {
        String written;
        try {
            written = dir.line("deliverylog").orElse("");
        } catch (ControlFileException e) {
            out.add(e.getMessage()); // "is unreadable", explained with the others
            return;
        }
        String where = "control/deliverylog line 1: ";
        if (written.indexOf('\0') >= 0) {
            out.add(where + "the name has a NUL byte, which no file name can hold: no line would be logged");
            return;
        }
        for (String part : written.split("/")) {
            if (part.length() > 255) {
                out.add(where + "a part of the name is longer than 255 bytes: no line would be logged");
                return;
            }
        }
        if (written.length() > 4095 || snapshot.deliveryLog().isEmpty()) {
            if (!written.isEmpty()) {
                out.add(where + "the name is longer than 4095 bytes: no line would be logged");
            }
            return;
        }
        java.nio.file.Path file = snapshot.deliveryLog().get();
        if (written.startsWith("#")) {
            out.add(where + "the log is the file " + file + ": a one-line control file has no"
                    + " comments, so a first line starting with '#' is the file name");
        }
        String name = file.normalize().toString();
        java.util.Optional<String> why = name.equals("/dev/stdin") || name.equals("/dev/fd/0")
                || name.equals("/proc/self/fd/0") ? java.util.Optional.of("it names standard input, which qmail-remote"
                + " never logs to") : AppendLog.unwritable(file);
        why.ifPresent(w -> out.add(where + file + " cannot be written: " + w + "; no line would be logged"));
    }

    /**
     * A domainips address qmail-remote could not bind (no literal, no such interface, not an address of this
     * host): that sender's mail would defer.
     */
    private static void bindings(Set<String> out, KeyedTable domainIps) {
        for (String key : inFileOrder(domainIps)) {
            String written = domainIps.get(key).map(v -> v.indexOf('|') < 0 ? v : v.substring(0, v.indexOf('|')))
                    .orElse("");
            try {
                dev.qremote.sender.delivery.BindAddress.requireBindable(
                        dev.qremote.sender.delivery.BindAddress.parse(written, "domainips"), "domainips");
            } catch (ControlFileException e) {
                String why = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
                out.add("control/domainips line " + domainIps.lineOf(key) + ": " + why);
            }
        }
    }

    /** One local address a delivery would bind, as the walk parses and binds it. */
    private static void bindable(Set<String> out, String file, int line, String written) {
        try {
            dev.qremote.sender.delivery.BindAddress.requireBindable(
                    dev.qremote.sender.delivery.BindAddress.parse(written, file), file);
        } catch (ControlFileException e) {
            out.add("control/" + file + " line " + line + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
    }

    /** "no valid port" for a relay "[..." without ']': the bracket is what is wrong. */
    private static String unclosed(String problem, KeyedTable table, String file) {
        if (!problem.endsWith(" has no valid port")) {
            return problem;
        }
        for (String key : table.keys()) {
            String value = table.get(key).orElse("");
            if (problem.startsWith(file + " line " + table.lineOf(key) + ": ") && value.startsWith("[")
                    && value.indexOf(']') < 0) {
                return problem.substring(0, problem.length() - " has no valid port".length())
                        + " has '[' without ']' (an address literal is written [192.0.2.1] or [2001:db8::1])";
            }
        }
        return problem;
    }

    /**
     * A route's "oauth2:FILE" token file (from the qmail home when relative) that a snapshot could not read,
     * judged as it reads it (a readable regular file): the route would defer.
     */
    private static void tokens(Set<String> out, java.nio.file.Path home, ControlDirectory dir, String file) {
        Checked<List<ControlLine>> lines = Checked.read(() -> dir.numberedLines(file));
        if (lines.problem().isPresent()) {
            return;
        }
        for (ControlLine line : value(lines)) {
            KeyedTable one = KeyedTable.parseNumbered(List.of(line));
            List<Credentials> credentials = file.equals("smtproutes") ? SmtpRouter.everyCredentials(one, KeyedTable.empty())
                    : SmtpRouter.everyCredentials(KeyedTable.empty(), one);
            for (Credentials c : credentials) {
                if (c.secret().startsWith(OAUTH) && !readableFile(home, c.secret().substring(OAUTH.length()))) {
                    out.add("control/" + file + " line " + line.number() + ": the OAuth token file "
                            + c.secret().substring(OAUTH.length()) + " (from the qmail home) is not a readable regular file");
                }
            }
        }
    }

    private static boolean readableFile(java.nio.file.Path home, String name) {
        try {
            java.nio.file.Path path = home.resolve(name);
            return java.nio.file.Files.isRegularFile(path) && java.nio.file.Files.isReadable(path);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
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

    /** A table's keys in the order of their lines, so that problems come out as the file reads. */
    private static List<String> inFileOrder(KeyedTable table) {
        return table.keys().stream().sorted(java.util.Comparator.comparingInt(table::lineOf)).toList();
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
