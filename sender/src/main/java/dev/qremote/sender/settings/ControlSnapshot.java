package dev.qremote.sender.settings;

import dev.qremote.sender.control.Checked;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.control.KeyedTable;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.dns.TrustAnchorText;
import dev.qremote.sender.routing.Credentials;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.sts.StsSettings;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsDestinations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every control file qmail-remote reads, read at one moment and typed: the settings of {@link Controls},
 * control/tlsdestinations parsed, control/dnssec as a {@link DnssecMode}, control/trustanchors checked,
 * authplaintext, domaincerts, whether clientcert.pem is there, tlsclientciphers, the names in tlshosts/ and
 * notlshosts/, and the OAuth token files routes name ("oauth2:FILE", from the qmail home when relative).
 * Immutable and safe to share between threads; a delivery takes one and keeps it.
 *
 * <p>A file that cannot be used is not a failure of the snapshot: its problem is recorded ({@link Checked})
 * and raised by the delivery that needs the setting, at the point it always was, with the same report
 * detail. Settings built on {@link #controls()} (tlsdestinations, dnssec, trustanchors, token files) carry its
 * problem when it has one. Token files are read only when they are regular files: a device or pipe named by
 * a route (/dev/stdin) must not be read ahead, least of all before the message.
 */
public final class ControlSnapshot {
    /** Every file and directory read or looked at, besides token files: what a reload watches. */
    static final List<String> FILES = List.of("me", "helohost", "timeoutconnect", "timeoutremote", "timeoutdns",
            "smtproutes", "authsenders", "domainips", "qmtproutes", "chunksizeremote", "dnssec", "trustanchors",
            "tlsdestinations", "tlsfallback", "timeoutdelivery", "authplaintext", "domaincerts", "clientcert.pem",
            "tlsclientciphers", "tlshosts", "notlshosts", "reuseidle", "reusemax", "deliverylog",
            "mtasts", "mtastscache", "mtastscafile", "tlsrequired", "tlsrptspool");
    private static final String OAUTH = "oauth2:";

    private final Path home;
    private final boolean homeReachable;
    private final Checked<Controls> controls;
    private final Checked<TlsDestinations> tlsDestinations;
    private final Checked<DnssecMode> dnssec;
    private final Checked<Optional<String>> trustAnchors;
    private final Checked<List<String>> authPlaintext;
    private final Map<String, Optional<String>> oauthTokens;
    private final Checked<KeyedTable> domainCerts;
    private final boolean clientCertPem;
    private final Checked<List<String>> tlsClientCiphers;
    private final Checked<Optional<Set<String>>> tlsHosts;
    private final Checked<Optional<Set<String>>> noTlsHosts;
    private final Map<Path, FileStamp> stamps;
    private final Optional<Path> deliveryLog;
    private final Checked<StsSettings> sts;
    private final Optional<Path> tlsRptSpool;

    private ControlSnapshot(Builder b) {
        this.sts = b.sts;
        this.deliveryLog = b.deliveryLog;
        this.tlsRptSpool = b.tlsRptSpool;
        this.home = b.home;
        this.homeReachable = b.homeReachable;
        this.controls = b.controls;
        this.tlsDestinations = b.tlsDestinations;
        this.dnssec = b.dnssec;
        this.trustAnchors = b.trustAnchors;
        this.authPlaintext = b.authPlaintext;
        this.oauthTokens = Map.copyOf(b.oauthTokens);
        this.domainCerts = b.domainCerts;
        this.clientCertPem = b.clientCertPem;
        this.tlsClientCiphers = b.tlsClientCiphers;
        this.tlsHosts = b.tlsHosts;
        this.noTlsHosts = b.noTlsHosts;
        this.stamps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.stamps));
    }

    /**
     * Reads every control file under {@code qmailHome}/control now. Never throws for a file's content or
     * an I/O error (those are recorded); a file too large for memory throws {@link OutOfMemoryError} as a
     * delivery reading it always did.
     */
    public static ControlSnapshot read(Path qmailHome) {
        return read(qmailHome, false);
    }

    /** As {@link #read(Path)}; {@code stamped}: each file's stamp is taken before it is read, for a reload. */
    static ControlSnapshot read(Path qmailHome, boolean stamped) {
        Builder b = new Builder(qmailHome, stamped);
        Path control = qmailHome.resolve("control");
        b.stamp(qmailHome);
        b.stamp(control);
        for (String name : FILES) {
            b.stamp(control.resolve(name));
        }
        b.homeReachable = Files.isDirectory(qmailHome);
        if (!b.homeReachable) {
            return new ControlSnapshot(b);
        }
        ControlDirectory dir = new ControlDirectory(qmailHome);
        b.controls = Checked.read(() -> Controls.read(dir));
        b.controls.problem().ifPresent(problem -> b.allAfterControls(problem));
        if (b.controls.problem().isEmpty()) {
            Controls c = uncheckedValue(b.controls);
            b.tlsDestinations = Checked.read(() -> tlsDestinations(c.tlsDestinations()));
            b.dnssec = Checked.read(() -> dnssecMode(c.dnssec()));
            b.trustAnchors = Checked.read(() -> trustAnchorsUsable(b.dnssec, c.trustAnchors()));
            readTokens(b, c);
        }
        b.authPlaintext = Checked.read(() -> dir.lines("authplaintext"));
        b.domainCerts = Checked.read(() -> KeyedTable.parse(dir.lines("domaincerts")));
        b.clientCertPem = Files.isRegularFile(dir.path("clientcert.pem"));
        b.tlsClientCiphers = Checked.read(() -> ciphers(dir));
        // whatever is in tlshosts/ counts, as the TLS patches stat() it: TLS is required, and a CA that cannot load defers
        b.tlsHosts = names("tlshosts", dir.path("tlshosts"), entry -> true);
        b.noTlsHosts = names("notlshosts", dir.path("notlshosts"), Files::exists);
        b.deliveryLog = namedPath(dir, qmailHome, "deliverylog");
        b.tlsRptSpool = namedPath(dir, qmailHome, "tlsrptspool");
        b.sts = Checked.read(() -> sts(dir, qmailHome));
        return new ControlSnapshot(b);
    }

    /** The MTA-STS and TLS-Required control files ({@link StsSettings}); a problem names the file and line. */
    public Checked<StsSettings> sts() {
        return sts;
    }

    private static StsSettings sts(ControlDirectory dir, Path home) throws ControlFileException {
        String on = dir.line("mtasts").orElse("").toLowerCase(Locale.ROOT);
        if (!on.equals("on") && !on.equals("off") && !on.isEmpty()) {
            throw ControlFileException.invalidAsSaid("mtasts line 1: '" + on + "' is not on or off");
        }
        String required = dir.line("tlsrequired").orElse("").toLowerCase(Locale.ROOT);
        if (!required.equals("honour") && !required.equals("ignore") && !required.isEmpty()) {
            throw ControlFileException.invalidAsSaid("tlsrequired line 1: '" + required + "' is not honour or ignore");
        }
        if (!on.equals("on")) {
            // MTA-STS off: its files are not read, so a bad name in them stops no delivery (fresh9 M5)
            return new StsSettings(false, Optional.empty(), Optional.empty(), !required.equals("ignore"));
        }
        Optional<Path> cache = fileNamed(dir, home, "mtastscache");
        Optional<String> ca = fileNamed(dir, home, "mtastscafile").map(dev.qremote.sender.tls.FileNames::text);
        return new StsSettings(true, cache, ca, !required.equals("ignore"));
    }

    /** The file a one-line control file names (relative from the qmail home), as its bytes say; empty: none. */
    private static Optional<Path> fileNamed(ControlDirectory dir, Path home, String file) throws ControlFileException {
        Optional<String> line = dir.line(file).filter(l -> !l.isEmpty());
        if (line.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(dev.qremote.sender.tls.FileNames.resolve(home, line.get()));
        } catch (IOException e) {
            throw ControlFileException.invalidAsSaid(file + " line 1: " + e.getMessage());
        }
    }

    /**
     * The file control/deliverylog names for the JSON line of each attempt (relative names from the qmail
     * home); empty when the control file is missing, empty, unreadable or names no usable path: a log that
     * cannot be had never touches a delivery.
     */
    public Optional<Path> deliveryLog() {
        return deliveryLog;
    }

    /**
     * The directory control/tlsrptspool names (relative names from the qmail home), to which each attempt's
     * TLS outcome is appended for TLS reporting (RFC 8460); empty as for {@link #deliveryLog()}.
     */
    public Optional<Path> tlsRptSpool() {
        return tlsRptSpool;
    }

    private static Optional<Path> namedPath(ControlDirectory dir, Path home, String file) {
        try {
            Optional<String> line = dir.line(file);
            if (line.isEmpty() || line.get().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(dev.qremote.sender.tls.FileNames.resolve(home, line.get()));
        } catch (ControlFileException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The qmail home this snapshot was read from (relative names in control files start there). */
    public Path qmailHome() {
        return home;
    }

    /** Whether the qmail home was a directory; when not, nothing else was read. */
    public boolean homeReachable() {
        return homeReachable;
    }

    /** Where a control file or directory is, as {@link ControlDirectory#path} says. */
    public Path controlPath(String name) {
        return home.resolve("control").resolve(name);
    }

    /** What {@link Controls#read} gave: the settings, or the first file's problem in its order. */
    public Checked<Controls> controls() {
        return controls;
    }

    /** control/tlsdestinations parsed; a problem is "tlsdestinations line N: ...". */
    public Checked<TlsDestinations> tlsDestinations() {
        return tlsDestinations;
    }

    /** control/dnssec: validate (default, also empty), ad or off, any case; else "dnssec line 1: ...". */
    public Checked<DnssecMode> dnssec() {
        return dnssec;
    }

    /**
     * control/trustanchors, when present, as master-file text; a problem when DNSSEC is validated here and
     * the anchors cannot be loaded ("trustanchors line N: ..."). Without the file: empty (the IANA root).
     */
    public Checked<Optional<String>> trustAnchors() {
        return trustAnchors;
    }

    /** control/authplaintext's lines: relays that may receive credentials in clear, "*" for all. */
    public Checked<List<String>> authPlaintext() {
        return authPlaintext;
    }

    /**
     * The content of the token file a route's "oauth2:{@code name}" secret names, stripped of surrounding
     * white space, one char per byte; empty when it could not be read.
     */
    public Optional<String> oauthToken(String name) {
        Optional<String> token = oauthTokens.get(name);
        return token == null ? Optional.empty() : token;
    }

    /** control/domaincerts: s/qmail's {@code domain:certificate[|keyfile[|password]]}. */
    public Checked<KeyedTable> domainCerts() {
        return domainCerts;
    }

    /** Whether control/clientcert.pem was a regular file. */
    public boolean clientCertPem() {
        return clientCertPem;
    }

    /** control/tlsclientciphers: the suites, separated by ':' over one or more lines. */
    public Checked<List<String>> tlsClientCiphers() {
        return tlsClientCiphers;
    }

    /**
     * control/tlshosts and control/notlshosts as directories: the problem of the first that exists but is no
     * directory ("control/tlshosts is not a directory": a FIFO, a device, a file, a link to one or to nothing).
     * A delivery meets it at once: which mail exchangers require TLS cannot be known.
     */
    public Checked<Boolean> hostDirectories() {
        for (Checked<Optional<Set<String>>> names : List.of(tlsHosts, noTlsHosts)) {
            Optional<ControlFileException> problem = names.problem();
            if (problem.isPresent()) {
                return Checked.failed(problem.get());
            }
        }
        return Checked.of(true);
    }

    /**
     * Whether anything was at control/tlshosts/{@code fileName} (a FIFO or directory too: TLS is required, and
     * its CA file fails to load). A directory that could not be listed (search permission without read
     * permission) is asked now; an entry that cannot be looked at counts, so that TLS is never downgraded.
     * False when {@link #hostDirectories} has a problem.
     */
    public boolean inTlsHosts(String fileName) {
        Optional<Set<String>> names = tlsHosts.problem().isPresent() ? Optional.of(Set.of()) : uncheckedValue(tlsHosts);
        if (names.isPresent()) {
            return names.get().contains(fileName);
        }
        try {
            Files.readAttributes(controlPath("tlshosts").resolve(fileName), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether control/notlshosts/{@code name} existed (the same fallback as {@link #inTlsHosts}). */
    public boolean inNoTlsHosts(String name) {
        Optional<Set<String>> names = noTlsHosts.problem().isPresent() ? Optional.of(Set.of())
                : uncheckedValue(noTlsHosts);
        return names.isPresent() ? names.get().contains(name)
                : Files.exists(controlPath("notlshosts").resolve(name));
    }

    /** What every file read looked like just before it was read, in reading order; empty when not stamped. */
    Map<Path, FileStamp> stamps() {
        return stamps;
    }

    private static <T> T uncheckedValue(Checked<T> checked) {
        try {
            return checked.get();
        } catch (ControlFileException e) {
            throw new IllegalStateException("no value", e);
        }
    }

    private static TlsDestinations tlsDestinations(List<String> lines) throws ControlFileException {
        try {
            return TlsDestinations.parse(lines);
        } catch (TlsConfigException e) {
            throw ControlFileException.invalidAsSaid(e.getMessage());
        }
    }

    /** control/dnssec's first line as a mode (public for qmail-remote-check, which reads it on its own). */
    public static DnssecMode dnssecMode(String setting) throws ControlFileException {
        switch (setting.toLowerCase(Locale.ROOT)) {
            case "validate", "":
                return DnssecMode.VALIDATE;
            case "ad":
                return DnssecMode.TRUST_AD;
            case "off":
                return DnssecMode.OFF;
            default:
                throw ControlFileException.invalidAsSaid("dnssec line 1: '" + setting + "' is not validate, ad or off");
        }
    }

    /** Trust anchors that cannot be loaded are named before the first lookup, not found out inside it. */
    private static Optional<String> trustAnchorsUsable(Checked<DnssecMode> dnssec, Optional<String> anchors)
            throws ControlFileException {
        if (dnssec.problem().isPresent() || uncheckedValue(dnssec) != DnssecMode.VALIDATE || anchors.isEmpty()) {
            return anchors;
        }
        Optional<String> problem = TrustAnchorText.problem(anchors.get());
        if (problem.isPresent()) {
            throw ControlFileException.invalidAsSaid("trustanchors" + (problem.get().startsWith("line ") ? " " : ": ")
                    + problem.get());
        }
        return anchors;
    }

    /** The TLS patches' control/tlsclientciphers: suites separated by ':', over one or more lines. */
    private static List<String> ciphers(ControlDirectory dir) throws ControlFileException {
        List<String> out = new ArrayList<>();
        for (String line : dir.lines("tlsclientciphers")) {
            out.addAll(List.of(line.split(":")));
        }
        return List.copyOf(out);
    }

    /** Every token file a route names, each stamped before it is read. */
    private static void readTokens(Builder b, Controls c) {
        for (Credentials credentials : SmtpRouter.everyCredentials(c.smtpRoutes(), c.authSenders())) {
            String secret = credentials.secret();
            if (!secret.startsWith(OAUTH) || b.oauthTokens.containsKey(secret.substring(OAUTH.length()))) {
                continue;
            }
            String name = secret.substring(OAUTH.length());
            Optional<String> token;
            try {
                Path path = dev.qremote.sender.tls.FileNames.resolve(b.home, name);
                b.stamp(path);
                if (!Files.isRegularFile(path)) {
                    throw new IOException("not a regular file");
                }
                // one char per byte, as control files are read: the token goes as the file holds it
                token = Optional.of(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1).strip());
            } catch (IOException | InvalidPathException e) {
                token = Optional.empty();
            }
            b.oauthTokens.put(name, token);
        }
    }

    /**
     * The names in control/{@code name} that pass {@code test}; empty when it cannot be listed (a missing one:
     * none); a problem when it is no directory. Its type is looked at first: opening a FIFO as a directory
     * blocks in open(2) until a writer comes.
     */
    private static Checked<Optional<Set<String>>> names(String name, Path directory, Predicate<Path> test) {
        try {
            BasicFileAttributes type = Files.readAttributes(directory, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (type.isSymbolicLink()) {
                type = Files.readAttributes(directory, BasicFileAttributes.class);
            }
            if (!type.isDirectory()) {
                return Checked.failed(ControlFileException.notADirectory(name));
            }
        } catch (NoSuchFileException e) {
            return Files.isSymbolicLink(directory) ? Checked.failed(ControlFileException.notADirectory(name))
                    : Checked.of(Optional.of(Set.of()));
        } catch (IOException | RuntimeException e) {
            return Checked.failed(ControlFileException.unreadable(name, e));
        }
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (test.test(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return Checked.of(Optional.empty());
        }
        return Checked.of(Optional.of(Set.copyOf(names)));
    }

    /** The fields while reading. */
    private static final class Builder {
        final Path home;
        final Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        final Map<String, Optional<String>> oauthTokens = new HashMap<>();
        boolean homeReachable;
        Checked<Controls> controls;
        Checked<TlsDestinations> tlsDestinations;
        Checked<DnssecMode> dnssec;
        Checked<Optional<String>> trustAnchors;
        Checked<List<String>> authPlaintext;
        Checked<KeyedTable> domainCerts;
        boolean clientCertPem;
        Checked<List<String>> tlsClientCiphers;
        Checked<Optional<Set<String>>> tlsHosts = Checked.of(Optional.of(Set.of()));
        Checked<Optional<Set<String>>> noTlsHosts = Checked.of(Optional.of(Set.of()));
        Optional<Path> deliveryLog = Optional.empty();
        Checked<StsSettings> sts = Checked.of(StsSettings.off());
        Optional<Path> tlsRptSpool = Optional.empty();

        final boolean stamped;

        Builder(Path home, boolean stamped) {
            this.home = home;
            this.stamped = stamped;
            ControlFileException unread = ControlFileException.unreadable("helohost", null);
            controls = Checked.failed(unread);
            allAfterControls(unread);
            authPlaintext = Checked.failed(unread);
            domainCerts = Checked.failed(unread);
            tlsClientCiphers = Checked.failed(unread);
        }

        /** Settings that come from {@link Controls} cannot be had without them. */
        void allAfterControls(ControlFileException problem) {
            tlsDestinations = Checked.failed(problem);
            dnssec = Checked.failed(problem);
            trustAnchors = Checked.failed(problem);
        }

        void stamp(Path path) {
            if (stamped) {
                stamps.put(path, FileStamp.of(path));
            }
        }
    }
}
