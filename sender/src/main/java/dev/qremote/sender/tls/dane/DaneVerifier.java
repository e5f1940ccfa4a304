package dev.qremote.sender.tls.dane;

import dev.qremote.sender.dns.Tlsa;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * DANE for SMTP (RFC 7672, 7671): a pure function from TLSA records, the chain the server presented and
 * the names it may carry, to an outcome. DANE-EE(3) matches the server's own certificate and ignores names
 * and dates; DANE-TA(2) matches a certificate of the chain, which then anchors an ordinary path check (dates
 * included) of the certificates below it, and the server certificate's name must fit. No DNS, no sockets.
 */
public final class DaneVerifier {
    private DaneVerifier() {
    }

    public static DaneOutcome verify(List<Tlsa> records, List<X509Certificate> chain, List<String> names, Date now) {
        if (chain.isEmpty()) {
            return DaneOutcome.NO_MATCH;
        }
        for (Tlsa tlsa : records) {
            if (tlsa.usableForSmtp() && tlsa.usage() == Tlsa.DANE_EE && matches(tlsa, chain.get(0))) {
                return DaneOutcome.MATCHED_END_ENTITY;
            }
        }
        for (Tlsa tlsa : records) {
            if (!tlsa.usableForSmtp() || tlsa.usage() != Tlsa.DANE_TA) {
                continue;
            }
            for (int i = 0; i < chain.size(); i++) {
                if (matches(tlsa, chain.get(i)) && pathVerifies(chain, i, now)
                        && HostnameMatcher.matchesAny(chain.get(0), names, true)) {
                    return DaneOutcome.MATCHED_TRUST_ANCHOR;
                }
            }
        }
        return DaneOutcome.NO_MATCH;
    }

    /** Whether the selected part of {@code cert} has the record's association data. */
    static boolean matches(Tlsa tlsa, X509Certificate cert) {
        try {
            byte[] selected = tlsa.selector() == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] data = switch (tlsa.matchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return data != null && MessageDigest.isEqual(data, tlsa.data());
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** The certificates below {@code anchorIndex} form a valid path from the anchor down to the leaf. */
    private static boolean pathVerifies(List<X509Certificate> chain, int anchorIndex, Date now) {
        if (anchorIndex == 0) {
            return true; // the server certificate is itself the trust anchor
        }
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, anchorIndex));
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(chain.get(anchorIndex), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
