package dev.qremote.fakemx.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate chain (leaf first) with the leaf's private key, and everything a test needs about it:
 * an SSLContext to serve it, fingerprints for pinning, TLSA association data for DANE, PEM text.
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey key) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The certificate of the issuer of the chain's top (the trust anchor), or the leaf when self-signed. */
    public X509Certificate top() {
        return chain.get(chain.size() - 1);
    }

    /**
     * A server context presenting this chain. {@code clientTrust} non-null: client certificates signed by
     * it are asked for and verified.
     */
    public SSLContext serverContext(X509Certificate clientTrust) {
        try {
            char[] password = "fake".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManagerFactory tmf = null;
            if (clientTrust != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(clientTrust));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** A client context trusting only {@code anchor}, for tests that talk to the fake server. */
    public static SSLContext clientTrusting(X509Certificate anchor) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(anchor));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static KeyStore trustStore(X509Certificate anchor) throws GeneralSecurityException, java.io.IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("anchor", anchor);
        return trust;
    }

    /** The leaf's fingerprint in lower-case hex, for SHA-1, SHA-224, SHA-256 or SHA-512. */
    public String fingerprint(String digest) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(digest).digest(leaf().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(digest, e);
        }
    }

    /**
     * TLSA certificate association data (RFC 6698 2.1): {@code usage} 3 (DANE-EE) takes the leaf, 2
     * (DANE-TA) the chain's top; selector 0 the whole certificate, 1 the SubjectPublicKeyInfo; matching type
     * 0 the data itself, 1 its SHA-256, 2 its SHA-512.
     */
    public byte[] tlsaData(int usage, int selector, int matchingType) {
        X509Certificate cert = usage == 2 ? top() : leaf();
        byte[] selected = selector == 0 ? encoded(cert) : cert.getPublicKey().getEncoded();
        try {
            return switch (matchingType) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> throw new IllegalArgumentException("matching type " + matchingType);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chain as PEM, leaf first. */
    public String chainPem() {
        StringBuilder out = new StringBuilder();
        chain.forEach(c -> out.append(Pem.certificate(c)));
        return out.toString();
    }

    public String keyPem() {
        return Pem.privateKey(key);
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
