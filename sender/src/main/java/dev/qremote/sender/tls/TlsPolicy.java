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
        return builder().build();
    }

    /** A builder starting from {@link #opportunistic()}: set by name only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        return new Builder().mode(mode).verification(verification).caLocation(caLocation).fingerprint(fingerprint)
                .ciphers(ciphers).verifyDepth(verifyDepth).port(port).implicitTls(implicitTls)
                .daneAllowed(daneAllowed).matchedRule(matchedRule);
    }

    /** The same policy with these cipher suites (control/tlsclientciphers, when the line names none). */
    public TlsPolicy withCiphers(List<String> suites) {
        return toBuilder().ciphers(suites).build();
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

    /** Named fields for a {@link TlsPolicy}; defaults are those of {@link #opportunistic()}. Not thread-safe. */
    public static final class Builder {
        private TlsMode mode = TlsMode.OPPORTUNISTIC;
        private Verification verification = Verification.NONE;
        private Optional<String> caLocation = Optional.empty();
        private Optional<String> fingerprint = Optional.empty();
        private List<String> ciphers = List.of();
        private OptionalInt verifyDepth = OptionalInt.empty();
        private OptionalInt port = OptionalInt.empty();
        private boolean implicitTls;
        private boolean daneAllowed = true;
        private String matchedRule = "default";

        private Builder() {
        }

        public Builder mode(TlsMode value) {
            mode = java.util.Objects.requireNonNull(value);
            return this;
        }

        public Builder verification(Verification value) {
            verification = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** A PEM file, or a directory of them when the path ends in '/'. */
        public Builder caLocation(Optional<String> value) {
            caLocation = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** The pinned fingerprint in hex (40, 56, 64 or 128 digits). */
        public Builder fingerprint(Optional<String> value) {
            fingerprint = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** JSSE cipher suite names; others are passed over at handshake time. */
        public Builder ciphers(List<String> value) {
            ciphers = List.copyOf(value);
            return this;
        }

        /** The most CA certificates allowed above the leaf. */
        public Builder verifyDepth(OptionalInt value) {
            verifyDepth = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** The TCP port instead of the route's or 25. */
        public Builder port(OptionalInt value) {
            port = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** TLS from the first byte (SMTPS) instead of STARTTLS. */
        public Builder implicitTls(boolean value) {
            implicitTls = value;
            return this;
        }

        public Builder daneAllowed(boolean value) {
            daneAllowed = value;
            return this;
        }

        /** Where the policy came from, for reports and logs ("tlsdestinations line 3"). */
        public Builder matchedRule(String value) {
            matchedRule = java.util.Objects.requireNonNull(value);
            return this;
        }

        public TlsPolicy build() {
            return new TlsPolicy(mode, verification, caLocation, fingerprint, ciphers, verifyDepth, port, implicitTls,
                    daneAllowed, matchedRule);
        }
    }
}
