package dev.qremote.fakemx.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority made at run time with Bouncy Castle: a root, optionally an intermediate, and
 * leaves of every kind a TLS test meets (right name, wildcard, wrong name, expired, not yet valid,
 * self-signed, client), RSA or ECDSA. No key material is ever stored in the repository.
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private final KeyKind kind;
    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair intermediateKeys;
    private final X509Certificate intermediate;

    private TestCertificates(KeyKind kind) {
        this.kind = kind;
        Instant now = Instant.now();
        this.rootKeys = keys(kind);
        this.root = build("CN=qremote test root CA", rootKeys.getPublic(), "CN=qremote test root CA",
                rootKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, List.of());
        this.intermediateKeys = keys(kind);
        this.intermediate = build("CN=qremote test intermediate CA", intermediateKeys.getPublic(),
                "CN=qremote test root CA", rootKeys.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1825)), true, List.of());
    }

    public static TestCertificates create(KeyKind kind) {
        return new TestCertificates(kind);
    }

    /** The root CA certificate: what a client must trust. */
    public X509Certificate root() {
        return root;
    }

    /** A leaf for {@code names} (the first is the CN, all are dNSNames), issued by the root. */
    public IssuedCertificate leaf(String... names) {
        return issue(names, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), false);
    }

    /** A leaf issued by an intermediate: the chain sent is leaf, intermediate. */
    public IssuedCertificate leafViaIntermediate(String... names) {
        Instant now = Instant.now();
        KeyPair leafKeys = keys(kind);
        X509Certificate leaf = build("CN=" + names[0], leafKeys.getPublic(), "CN=qremote test intermediate CA",
                intermediateKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false,
                List.of(names));
        return new IssuedCertificate(List.of(leaf, intermediate), leafKeys.getPrivate());
    }

    public IssuedCertificate expired(String... names) {
        return issue(names, Instant.now().minus(Duration.ofDays(100)), Instant.now().minus(Duration.ofDays(10)), false);
    }

    public IssuedCertificate notYetValid(String... names) {
        return issue(names, Instant.now().plus(Duration.ofDays(10)), Instant.now().plus(Duration.ofDays(100)), false);
    }

    /** A self-signed leaf that no CA vouches for. */
    public IssuedCertificate selfSigned(String... names) {
        Instant now = Instant.now();
        KeyPair leafKeys = keys(kind);
        X509Certificate leaf = build("CN=" + names[0], leafKeys.getPublic(), "CN=" + names[0],
                leafKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false,
                List.of(names));
        return new IssuedCertificate(List.of(leaf), leafKeys.getPrivate());
    }

    private IssuedCertificate issue(String[] names, Instant from, Instant to, boolean ca) {
        KeyPair leafKeys = keys(kind);
        X509Certificate leaf = build("CN=" + names[0], leafKeys.getPublic(), "CN=qremote test root CA",
                rootKeys.getPrivate(), from, to, ca, List.of(names));
        return new IssuedCertificate(List.of(leaf), leafKeys.getPrivate());
    }

    private static KeyPair keys(KeyKind kind) {
        try {
            if (kind == KeyKind.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(String subject, PublicKey key, String issuer, PrivateKey signer,
            Instant from, Instant to, boolean ca, List<String> dnsNames) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(from), Date.from(to),
                    new X500Name(subject), key);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!dnsNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a test certificate for " + subject, e);
        }
    }
}
