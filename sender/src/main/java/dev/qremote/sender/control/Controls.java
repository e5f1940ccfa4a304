package dev.qremote.sender.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The control settings one delivery uses, read once at start. {@code trustAnchors} and
 * {@code tlsDestinations} keep every line at its place in the file (a comment or blank line empty), so that
 * their parsers name the line the file has.
 */
public record Controls(
        String heloHost,
        Duration connectTimeout,
        Duration remoteTimeout,
        Duration dnsTimeout,
        KeyedTable smtpRoutes,
        KeyedTable authSenders,
        KeyedTable domainIps,
        KeyedTable qmtpRoutes,
        int chunkSize,
        String dnssec,
        Optional<String> trustAnchors,
        List<String> tlsDestinations,
        boolean tlsFallback,
        Duration deliveryTimeout,
        Duration reuseIdle,
        int reuseMax) {

    /** Immutable, so that one snapshot can be shared by deliveries on many threads. */
    public Controls {
        tlsDestinations = List.copyOf(tlsDestinations);
    }

    public static final long DEFAULT_CONNECT_SECONDS = 60;
    public static final long DEFAULT_REMOTE_SECONDS = 1200;
    public static final long DEFAULT_DNS_SECONDS = 30;
    /** Everything before the message transfer; under qmail-send's first retry of a remote delivery (400 s). */
    public static final long DEFAULT_DELIVERY_SECONDS = 300;
    /** Qsmtp's default; 0 means "never BDAT". */
    public static final long DEFAULT_CHUNK_SIZE = 32768;
    /** A chunk is held in memory twice over; larger chunks gain nothing and could exhaust the heap. */
    public static final long MAX_CHUNK_SIZE = 1 << 20;
    /** How long a resident process keeps an idle SMTP session for the next delivery; 0: never. */
    public static final long DEFAULT_REUSE_IDLE_SECONDS = 5;
    /** Deliveries over one kept SMTP session; 0 or 1: none kept. */
    public static final long DEFAULT_REUSE_MAX = 100;
    private static final String UNCARRIABLE = "has bytes SMTP cannot carry";
    /** A domain has at most 255 octets (RFC 5321 4.5.3.1.2); a longer HELO name only wedges the session. */
    private static final int MAX_NAME = 255;
    private static final String TOO_LONG = "the host name is longer than 255 bytes";

    /** Reads every file this delivery needs; a missing helohost and me is a failure, as in classic qmail. */
    public static Controls read(ControlDirectory dir) throws ControlFileException {
        String helo = heloHost(dir);
        return new Controls(
                helo,
                seconds(dir.number("timeoutconnect", DEFAULT_CONNECT_SECONDS)),
                seconds(dir.number("timeoutremote", DEFAULT_REMOTE_SECONDS)),
                seconds(dir.number("timeoutdns", DEFAULT_DNS_SECONDS)),
                KeyedTable.parseNumbered(dir.numberedLines("smtproutes")),
                KeyedTable.parseNumbered(dir.numberedLines("authsenders")),
                domainIps(dir),
                KeyedTable.parseNumbered(dir.numberedLines("qmtproutes")),
                (int) Math.min(MAX_CHUNK_SIZE, dir.number("chunksizeremote", DEFAULT_CHUNK_SIZE)),
                dir.line("dnssec").orElse("validate"),
                trustAnchors(dir),
                inPlace(dir.numberedLines("tlsdestinations")),
                tlsFallback(dir),
                seconds(dir.number("timeoutdelivery", DEFAULT_DELIVERY_SECONDS)),
                Duration.ofSeconds(reuseNumber(dir, "reuseidle", DEFAULT_REUSE_IDLE_SECONDS)),
                (int) reuseNumber(dir, "reusemax", DEFAULT_REUSE_MAX));
    }

    /**
     * A number of session reuse; 0 (reuse off) when its file cannot be read as one: a kept session only
     * saves time, so its files never defer mail (qmail-remote-check names the problem).
     */
    private static long reuseNumber(ControlDirectory dir, String name, long defaultValue) {
        try {
            return dir.number(name, defaultValue);
        } catch (ControlFileException e) {
            return 0;
        }
    }

    /**
     * Every problem {@link #read} could meet, each file read on its own so that one problem does not hide
     * the next (qmail-remote-check); empty when {@link #read} would succeed. Missing me and helohost is one
     * problem, named after me. The readings are {@link #read}'s, in its order: a file added there belongs
     * here too.
     */
    public static List<ControlFileException> problems(ControlDirectory dir) {
        List<ControlFileException> out = new java.util.ArrayList<>();
        List<Checked.Reading<?>> readings = List.of(
                () -> heloHost(dir),
                () -> dir.number("timeoutconnect", DEFAULT_CONNECT_SECONDS),
                () -> dir.number("timeoutremote", DEFAULT_REMOTE_SECONDS),
                () -> dir.number("timeoutdns", DEFAULT_DNS_SECONDS),
                () -> dir.numberedLines("smtproutes"),
                () -> dir.numberedLines("authsenders"),
                () -> domainIps(dir),
                () -> dir.numberedLines("qmtproutes"),
                () -> dir.number("chunksizeremote", DEFAULT_CHUNK_SIZE),
                () -> dir.line("dnssec"),
                () -> trustAnchors(dir),
                () -> dir.numberedLines("tlsdestinations"),
                () -> tlsFallback(dir),
                () -> dir.number("timeoutdelivery", DEFAULT_DELIVERY_SECONDS),
                () -> dir.number("reuseidle", DEFAULT_REUSE_IDLE_SECONDS),
                () -> dir.number("reusemax", DEFAULT_REUSE_MAX));
        for (Checked.Reading<?> reading : readings) {
            Checked.read(reading).problem().ifPresent(problem -> out.add(
                    problem.getMessage().equals("control/helohost is unreadable") && !java.nio.file.Files.exists(dir.path("me"))
                            && !java.nio.file.Files.exists(dir.path("helohost"))
                            ? ControlFileException.invalid("me", "missing, and helohost too: every delivery defers")
                            : problem));
        }
        return out;
    }

    /**
     * The lines at their places in the file: line N of the file is element N-1, a blank or comment line an
     * empty string (which has no colon, so key:value parsers skip it), so that a parser counting elements
     * names the right line.
     */
    private static List<String> inPlace(List<ControlLine> lines) {
        List<String> out = new java.util.ArrayList<>();
        for (ControlLine line : lines) {
            while (out.size() < line.number() - 1) {
                out.add("");
            }
            out.add(line.text());
        }
        return out;
    }

    /** helohost, else me: a name EHLO can carry (no control byte, space or DEL). */
    private static String heloHost(ControlDirectory dir) throws ControlFileException {
        String file = "helohost";
        Optional<String> configured = dir.line(file);
        if (configured.isEmpty()) {
            file = "me";
            configured = dir.line(file);
        }
        String helo = configured.orElseThrow(() -> ControlFileException.unreadable("helohost", null));
        if (!carriable(helo)) {
            throw ControlFileException.invalidLine(file, 1, "the host name " + UNCARRIABLE);
        }
        if (helo.length() > MAX_NAME) {
            throw ControlFileException.invalidLine(file, 1, TOO_LONG);
        }
        return helo;
    }

    /**
     * s/qmail's {@code domain:localip[%ifname][|helohost]}: the HELO name is checked here, on every line,
     * so that no line can put a CR or NUL into EHLO; the address is checked where it is used (s/qmail's
     * "Invalid ipaddr" report).
     */
    private static KeyedTable domainIps(ControlDirectory dir) throws ControlFileException {
        List<ControlLine> lines = dir.meaningfulLines("domainips");
        for (ControlLine line : lines) {
            int bar = line.text().indexOf('|', Math.max(0, line.text().indexOf(':')));
            if (bar >= 0 && !carriable(line.text().substring(bar + 1))) {
                throw ControlFileException.invalidLine("domainips", line.number(), "the HELO name " + UNCARRIABLE);
            }
            if (bar >= 0 && line.text().length() - bar - 1 > MAX_NAME) {
                throw ControlFileException.invalidLine("domainips", line.number(), TOO_LONG);
            }
            ControlDirectory.requireNoCrOrNul("domainips", line);
        }
        return KeyedTable.parseNumbered(lines);
    }

    private static boolean carriable(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) <= ' ' || name.charAt(i) == 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * The trust anchors as master-file text whose line N is line N of the file (comment lines left blank), so
     * that a parse error can name the line.
     */
    private static Optional<String> trustAnchors(ControlDirectory dir) throws ControlFileException {
        List<ControlLine> lines = dir.numberedLines("trustanchors");
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        for (String line : inPlace(lines)) {
            text.append(line).append('\n');
        }
        return Optional.of(text.toString());
    }

    /**
     * control/tlsfallback: "plaintext" (the default; RFC 7435, Postfix's "may") lets opportunistic TLS that
     * failed retry without it; "defer" keeps s/qmail's way, where such a failure defers or tries the next MX.
     */
    private static boolean tlsFallback(ControlDirectory dir) throws ControlFileException {
        String value = dir.line("tlsfallback").orElse("plaintext");
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "plaintext", "" -> true;
            case "defer" -> false;
            default -> throw ControlFileException.invalidLine("tlsfallback", 1, "neither plaintext nor defer");
        };
    }

    /**
     * Whether a resident process may keep this delivery's SMTP session for the next one
     * (control/reuseidle above 0 and control/reusemax above 1).
     */
    public boolean reuse() {
        return !reuseIdle.isZero() && reuseMax > 1;
    }

    /** A zero timeout would mean "wait forever" to Java sockets; classic treats it as "give up at once". */
    private static Duration seconds(long s) {
        return Duration.ofSeconds(Math.max(1, s));
    }

}
