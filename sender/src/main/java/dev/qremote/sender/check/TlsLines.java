package dev.qremote.sender.check;

import dev.qremote.sender.control.Checked;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlLine;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.tls.CaLocation;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.tls.TlsMode;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.tls.Verification;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tlsdestinations parser accepts but a delivery cannot use, line by line: a line that never applies
 * (no ':', a destination no host has), a pin no certificate can match, a CA file or directory that cannot be
 * loaded, cipher names Java ignores; then each tlshosts/HOST.pem as a CA file, and tlsclientciphers' names.
 * The parser's own problems are named elsewhere; a file it rejects whole is still judged line by line.
 */
final class TlsLines {
    private static final String DEFERS = ": a delivery this line decides would defer (#4.3.0)";
    private static final String FILE = "tlsdestinations";

    private TlsLines() {
    }

    static void judge(Set<String> out, ControlSnapshot snapshot, ControlDirectory dir) {
        Checked<List<ControlLine>> lines = Checked.read(() -> dir.numberedLines(FILE));
        if (lines.problem().isEmpty()) {
            Map<Integer, TlsPolicy> policies = new HashMap<>();
            for (ControlLine line : ControlCheck.value(lines)) {
                // each line parsed alone, so that a line the parser rejects hides no other
                try {
                    List<String> alone = new ArrayList<>();
                    alone.add(line.text());
                    TlsDestinations.parse(alone).policies().forEach(p -> policies.put(line.number(), p));
                } catch (dev.qremote.sender.tls.TlsConfigException e) {
                    // named by the parser's own problem
                }
            }
            for (ControlLine line : ControlCheck.value(lines)) {
                line(out, snapshot.qmailHome(), line, policies.get(line.number()));
            }
        }
        tlsHosts(out, dir);
        if (snapshot.tlsClientCiphers().problem().isEmpty()) {
            ignored(ControlCheck.value(snapshot.tlsClientCiphers()))
                    .ifPresent(why -> out.add("control/tlsclientciphers: " + why));
        }
    }

    private static void line(Set<String> out, Path home, ControlLine line, TlsPolicy policy) {
        String where = "control/" + FILE + " line " + line.number() + ": ";
        int colon = line.text().indexOf(':');
        if (colon < 0) {
            out.add(where + "no ':', so the line never applies");
            return;
        }
        String key = line.text().substring(0, colon).trim();
        String destination = "~=-%!?/".indexOf(key.isEmpty() ? ' ' : key.charAt(0)) >= 0 ? key.substring(1) : key;
        if (!key.startsWith("*") && !key.matches("[-?/~+=]\\*?") && !destination.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f.:IPv]+]")) {
            out.add(where + "'" + key + "' is neither a host name nor a domain (a prefix s/qmail does not know?):"
                    + " the line never applies");
            return;
        }
        if (policy == null) {
            return;
        }
        policy.fingerprint().filter(pin -> !pin.matches("[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{128}"))
                .ifPresent(pin -> out.add(where + "the pin '" + pin + "' is not a SHA-1, SHA-224, SHA-256 or SHA-512"
                        + " fingerprint (40, 56, 64 or 128 hex digits): no certificate can match it, and a delivery"
                        + " this line decides would defer (#4.3.0)"));
        if (needsCa(policy)) {
            String location = policy.caLocation().get();
            CaLocation.problem(fromHome(home, location)).ifPresent(why -> out.add(where + "the CA "
                    + (location.endsWith("/") ? "directory " : "file ") + location + " cannot be loaded: " + why
                    + DEFERS));
        }
        ignored(policy.ciphers()).ifPresent(why -> out.add(where + why));
    }

    /** Whether a delivery under {@code policy} loads its CA location (unless DANE decides instead). */
    static boolean needsCa(TlsPolicy policy) {
        return policy.mode() != TlsMode.NEVER && policy.caLocation().isPresent()
                && policy.verification() != Verification.NONE && policy.verification() != Verification.PINNED;
    }

    /** A relative CA path as a delivery sees it: qmail-remote runs in the qmail home. */
    static String fromHome(Path home, String location) {
        return location.startsWith("/") ? location : home.toString() + "/" + location;
    }

    /** Each control/tlshosts/HOST.pem is the CA file of every delivery to HOST. */
    private static void tlsHosts(Set<String> out, ControlDirectory dir) {
        Path tlshosts = dir.path("tlshosts");
        if (!Files.isDirectory(tlshosts)) {
            return;
        }
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tlshosts, "*.pem")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a delivery then asks for each MX's file by name, and where it cannot look it requires TLS with a
            // CA file it cannot read (ControlSnapshot.inTlsHosts): TLS is never downgraded, mail defers
            out.add("control/tlshosts cannot be listed by this user (" + e.getClass().getSimpleName()
                    + "): a delivery as this user requires TLS for any MX whose file it cannot look at, and defers"
                    + " when that CA file cannot be read (#4.3.0)");
            return;
        }
        for (String name : names) {
            CaLocation.problem(dev.qremote.sender.tls.FileNames.text(tlshosts.resolve(name))).ifPresent(why -> out.add("control/tlshosts/" + name
                    + ": the CA file cannot be loaded: " + why + ": every delivery to "
                    + name.substring(0, name.length() - 4) + " would defer (#4.3.0)"));
        }
    }

    /**
     * Names without '_' are no JSSE cipher suites (OpenSSL's HIGH, !aNULL): a delivery passes them over, and
     * with none left uses the JDK's defaults.
     */
    private static java.util.Optional<String> ignored(List<String> ciphers) {
        List<String> foreign = ciphers.stream().filter(c -> c.indexOf('_') < 0).toList();
        if (foreign.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.join(":", foreign) + (foreign.size() == 1 ? " is not a Java cipher suite name"
                : " are not Java cipher suite names") + " (OpenSSL's?), which qmail-remote ignores"
                + (foreign.size() == ciphers.size() ? ": the JDK's default suites are used" : ""));
    }
}
