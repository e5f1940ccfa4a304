package dev.qremote.sender.tls;

import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.tls.dane.DaneOutcome;
import dev.qremote.sender.tls.dane.HostnameMatcher;
import dev.qremote.sender.tls.dane.DaneVerifier;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.X509TrustManager;

/**
 * Judges the server's certificate by the delivery's policy, in the handshake itself: DANE when a secure,
 * usable TLSA set exists (then nothing else counts), else pinning, CA and name checks as tlsdestinations
 * asks, else nothing (opportunistic TLS accepts any certificate, as s/qmail does). One per connection, asked
 * by {@link ConnectionTrust} during a full handshake, or by {@link TlsClient} after one that resumed a session.
 * What it concluded stays readable afterwards, for the report.
 */
public final class PeerVerifier {
    private final TlsPolicy policy;
    private final List<Tlsa> tlsa;
    private final List<String> names;
    private final X509TrustManager caTrust;
    private final Clock clock;
    private volatile TlsOutcome outcome;
    private volatile PeerCheckException failure;
    /** The CAs of an audit (MTA-STS testing mode), or null: none. */
    private final X509TrustManager auditTrust;
    private volatile String audit = "";

    PeerVerifier(TlsPolicy policy, List<Tlsa> tlsa, List<String> names, X509TrustManager caTrust, Clock clock) {
        this(policy, tlsa, names, caTrust, clock, null);
    }

    /**
     * @param auditTrust when not null, a certificate accepted without checks (opportunistic TLS) is also
     *     judged by these CAs and the names, wildcards allowed, and what WebPKI would refuse is kept
     *     ({@link #audit()}) without refusing it: MTA-STS testing mode (RFC 8461 5)
     */
    PeerVerifier(TlsPolicy policy, List<Tlsa> tlsa, List<String> names, X509TrustManager caTrust, Clock clock,
            X509TrustManager auditTrust) {
        this.auditTrust = auditTrust;
        this.policy = policy;
        this.tlsa = List.copyOf(tlsa);
        this.names = List.copyOf(names);
        this.caTrust = caTrust;
        this.clock = clock;
    }

    public TlsOutcome outcome() {
        return outcome;
    }

    /** Why the certificate was refused, when it was. */
    public PeerCheckException failure() {
        return failure;
    }

    /**
     * What an audit found wrong with the certificate, as RFC 8460 4.3 names it (certificate-expired,
     * certificate-not-trusted, certificate-host-mismatch); empty when nothing, or no audit was asked for.
     */
    public String audit() {
        return audit;
    }

    private void audit(X509Certificate[] chain, String authType) {
        try {
            chain[0].checkValidity(Date.from(clock.instant()));
        } catch (java.security.cert.CertificateException e) {
            audit = "certificate-expired";
            return;
        }
        try {
            auditTrust.checkServerTrusted(chain, authType);
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            audit = "certificate-not-trusted";
            return;
        }
        audit = HostnameMatcher.matchesAny(chain[0], names, true) ? "" : "certificate-host-mismatch";
    }

    /** Whether a chain was judged: false after a handshake that resumed a session without showing one. */
    boolean judged() {
        return outcome != null || failure != null;
    }

    /** Judges {@code chain} (leaf first); {@code authType} as JSSE names it ("UNKNOWN" for TLS 1.3). */
    void check(X509Certificate[] chain, String authType) throws PeerCheckException {
        try {
            outcome = judge(chain, authType);
        } catch (PeerCheckException e) {
            failure = e;
            throw e;
        }
    }

    private TlsOutcome judge(X509Certificate[] chain, String authType) throws PeerCheckException {
        if (chain == null || chain.length == 0) {
            throw new PeerCheckException(PeerFailure.NO_CERTIFICATE, "no certificate");
        }
        if (!tlsa.isEmpty()) {
            DaneOutcome dane = DaneVerifier.verify(tlsa, List.of(chain), names, Date.from(clock.instant()));
            if (dane == DaneOutcome.NO_MATCH) {
                throw new PeerCheckException(PeerFailure.TLSA_MISMATCH, "no TLSA record matches");
            }
            return TlsOutcome.TLSA;
        }
        switch (policy.verification()) {
            case NONE:
                if (auditTrust != null) {
                    audit(chain, authType);
                }
                return TlsOutcome.ENCRYPTED;
            case PINNED:
                pin(chain[0]);
                return TlsOutcome.PINNED;
            default:
                break;
        }
        try {
            caTrust.checkServerTrusted(chain, authType);
        } catch (java.security.cert.CertificateException e) {
            throw new PeerCheckException(PeerFailure.UNTRUSTED, "not verified by the trusted CAs");
        }
        if (policy.verifyDepth().isPresent() && chain.length - 1 > policy.verifyDepth().getAsInt()) {
            throw new PeerCheckException(PeerFailure.UNTRUSTED, "chain deeper than " + policy.verifyDepth().getAsInt());
        }
        switch (policy.verification()) {
            case CA_AND_NAME_WILDCARD:
                requireName(chain[0], true);
                return TlsOutcome.CA_AND_NAME_WILDCARD;
            case CA_AND_NAME_EXACT:
                requireName(chain[0], false);
                return TlsOutcome.CA_AND_NAME_EXACT;
            default:
                return TlsOutcome.CA;
        }
    }

    private void requireName(X509Certificate leaf, boolean wildcards) throws PeerCheckException {
        if (!HostnameMatcher.matchesAny(leaf, names, wildcards)) {
            throw new PeerCheckException(PeerFailure.NAME_MISMATCH, "no name matches");
        }
    }

    /** The pinned digest is chosen by the length of the configured fingerprint (40, 56, 64 or 128 hex digits). */
    private void pin(X509Certificate leaf) throws PeerCheckException {
        String expected = policy.fingerprint().orElse("").toLowerCase(Locale.ROOT);
        String digest = switch (expected.length()) {
            case 40 -> "SHA-1";
            case 56 -> "SHA-224";
            case 64 -> "SHA-256";
            case 128 -> "SHA-512";
            default -> null;
        };
        if (digest == null) {
            throw new PeerCheckException(PeerFailure.PIN_UNKNOWN_DIGEST, expected);
        }
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance(digest).digest(leaf.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new PeerCheckException(PeerFailure.PIN_UNKNOWN_DIGEST, expected);
        }
        if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new PeerCheckException(PeerFailure.PIN_MISMATCH, expected);
        }
    }
}
