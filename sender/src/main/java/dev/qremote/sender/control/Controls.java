package dev.qremote.sender.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The control settings one delivery uses, read once at start. */
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
        boolean tlsFallback) {

    static final long DEFAULT_CONNECT_SECONDS = 60;
    static final long DEFAULT_REMOTE_SECONDS = 1200;
    static final long DEFAULT_DNS_SECONDS = 30;
    /** Qsmtp's default; 0 means "never BDAT". */
    static final long DEFAULT_CHUNK_SIZE = 32768;

    /** Reads every file this delivery needs; a missing helohost and me is a failure, as in classic qmail. */
    public static Controls read(ControlDirectory dir) throws ControlFileException {
        Optional<String> configured = dir.line("helohost");
        if (configured.isEmpty()) {
            configured = dir.line("me");
        }
        String helo = configured.orElseThrow(() -> ControlFileException.unreadable("helohost", null));
        for (int i = 0; i < helo.length(); i++) {
            if (helo.charAt(i) < 32 || helo.charAt(i) == 127) {
                throw ControlFileException.invalid("helohost", "control characters in the host name");
            }
        }
        return new Controls(
                helo,
                seconds(dir.number("timeoutconnect", DEFAULT_CONNECT_SECONDS)),
                seconds(dir.number("timeoutremote", DEFAULT_REMOTE_SECONDS)),
                seconds(dir.number("timeoutdns", DEFAULT_DNS_SECONDS)),
                KeyedTable.parse(dir.lines("smtproutes")),
                KeyedTable.parse(dir.lines("authsenders")),
                KeyedTable.parse(dir.lines("domainips")),
                KeyedTable.parse(dir.lines("qmtproutes")),
                (int) dir.number("chunksizeremote", DEFAULT_CHUNK_SIZE),
                dir.line("dnssec").orElse("validate"),
                trustAnchors(dir),
                dir.lines("tlsdestinations"),
                tlsFallback(dir));
    }

    private static Optional<String> trustAnchors(ControlDirectory dir) throws ControlFileException {
        List<String> lines = dir.lines("trustanchors");
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines) + "\n");
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
            default -> throw ControlFileException.invalid("tlsfallback", "line 1 is not plaintext or defer");
        };
    }

    /** A zero timeout would mean "wait forever" to Java sockets; classic treats it as "give up at once". */
    private static Duration seconds(long s) {
        return Duration.ofSeconds(Math.max(1, s));
    }

}
