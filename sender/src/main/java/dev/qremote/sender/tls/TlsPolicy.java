package dev.qremote.sender.tls;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one delivery uses TLS, as decided from control/tlsdestinations: the mode, what the certificate must
 * prove, where the trusted CAs are (a file, or a directory when the path ends in '/'), the pinned
 * fingerprint, allowed cipher suites, the verification depth, a port (and whether it speaks TLS from the
 * first byte), and whether DANE may be used.
 */
public record TlsPolicy(
        TlsMode mode,
        Verification verification,
        Optional<String> caLocation,
        Optional<String> fingerprint,
        List<String> ciphers,
        OptionalInt verifyDepth,
        OptionalInt port,
        boolean implicitTls,
        boolean daneAllowed,
        String matchedRule) {

    public TlsPolicy {
        ciphers = List.copyOf(ciphers);
    }

    /** The default without any tlsdestinations line: opportunistic STARTTLS, DANE when published. */
    public static TlsPolicy opportunistic() {
        return new TlsPolicy(TlsMode.OPPORTUNISTIC, Verification.NONE, Optional.empty(), Optional.empty(), List.of(),
                OptionalInt.empty(), OptionalInt.empty(), false, true, "default");
    }

    /** The same policy with these cipher suites (control/tlsclientciphers, when the line names none). */
    public TlsPolicy withCiphers(List<String> suites) {
        return new TlsPolicy(mode, verification, caLocation, fingerprint, suites, verifyDepth, port, implicitTls,
                daneAllowed, matchedRule);
    }

    /** A compact form for golden tables and logs. */
    public String describe() {
        StringBuilder out = new StringBuilder().append(mode.name().toLowerCase(java.util.Locale.ROOT))
                .append(' ').append(verification.name().toLowerCase(java.util.Locale.ROOT));
        caLocation.ifPresent(ca -> out.append(" ca=").append(ca));
        fingerprint.ifPresent(f -> out.append(" pin=").append(f));
        if (!ciphers.isEmpty()) {
            out.append(" ciphers=").append(String.join(":", ciphers));
        }
        verifyDepth.ifPresent(d -> out.append(" depth=").append(d));
        port.ifPresent(p -> out.append(implicitTls ? " port=s" : " port=").append(p));
        if (implicitTls && port.isEmpty()) {
            out.append(" implicit");
        }
        if (!daneAllowed) {
            out.append(" no-dane");
        }
        return out.toString();
    }
}
