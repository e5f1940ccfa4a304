package dev.qremote.sender.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a client certificate chain (PEM) and its private key: PKCS#8, or OpenSSL's traditional RSA and EC
 * forms, each possibly encrypted with a password (Bouncy Castle reads them; it is loaded only when a
 * delivery has a client certificate). The key must belong to the certificate.
 */
public final class ClientIdentities {
    private static final String NO_CERTIFICATE = "it holds no PEM certificate that can be read";
    private static final String NO_KEY = "it holds no private key that can be read (PKCS#8, or OpenSSL's RSA or EC"
            + " form; or the password is wrong)";
    private ClientIdentities() {
    }

    /** {@code keyFile} empty: the key is in the certificate file. Errors name the files as given. */
    public static ClientIdentity load(Path home, String certificateFile, Optional<String> keyFile,
            Optional<String> password) throws ClientIdentityException {
        List<X509Certificate> chain = certificates(named(home, certificateFile,
                ClientIdentityException.Problem.CERTIFICATE), certificateFile);
        String keyName = keyFile.orElse(certificateFile);
        PrivateKey key = asJdkKey(privateKey(named(home, keyName, ClientIdentityException.Problem.KEY), keyName,
                password), keyName);
        if (!belongTogether(chain.get(0).getPublicKey(), key)) {
            throw new ClientIdentityException(ClientIdentityException.Problem.MISMATCH, keyName);
        }
        return new ClientIdentity(chain, key);
    }

    /** Every certificate of a PEM file, in order; other blocks (a key) are passed over. */
    private static List<X509Certificate> certificates(Path file, String name) throws ClientIdentityException {
        List<X509Certificate> chain = new ArrayList<>();
        requireRegular(file, name, ClientIdentityException.Problem.CERTIFICATE);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new ClientIdentityException(ClientIdentityException.Problem.CERTIFICATE, name, unreadable(file, e));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ClientIdentityException(ClientIdentityException.Problem.CERTIFICATE, name, NO_CERTIFICATE);
        }
        if (chain.isEmpty()) {
            throw new ClientIdentityException(ClientIdentityException.Problem.CERTIFICATE, name, NO_CERTIFICATE);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, String name, Optional<String> password)
            throws ClientIdentityException {
        String text;
        requireRegular(file, name, ClientIdentityException.Problem.KEY);
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ClientIdentityException(ClientIdentityException.Problem.KEY, name, unreadable(file, e));
        }
        char[] secret = password.map(String::toCharArray).orElse(new char[0]);
        // a provider object for this call only: nothing is installed JVM-wide
        java.security.Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(bc);
        try (Reader reader = new StringReader(text); PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PEMEncryptedKeyPair encrypted) {
                    return converter.getKeyPair(encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(bc).build(secret))).getPrivate();
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc).build(secret);
                    return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
                }
            }
        } catch (Exception e) {
            // a wrong password and a broken file look alike here; neither is shown to anyone
            throw new ClientIdentityException(ClientIdentityException.Problem.KEY, name, NO_KEY);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
        throw new ClientIdentityException(ClientIdentityException.Problem.KEY, name, NO_KEY);
    }

    /** The same key as the JDK's own class, which its TLS and signature code expect. */
    private static PrivateKey asJdkKey(PrivateKey key, String name) throws ClientIdentityException {
        String family = key.getAlgorithm().equals("RSA") ? "RSA" : key.getAlgorithm().startsWith("EC") ? "EC" : null;
        if (family == null) {
            throw new ClientIdentityException(ClientIdentityException.Problem.KEY, name, "it holds a "
                    + key.getAlgorithm() + " key, and only RSA and EC keys are used");
        }
        try {
            return java.security.KeyFactory.getInstance(family)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new ClientIdentityException(ClientIdentityException.Problem.KEY, name, NO_KEY);
        }
    }

    /** {@code name} from {@code home} as the bytes the control file holds ({@link FileNames}). */
    private static Path named(Path home, String name, ClientIdentityException.Problem problem)
            throws ClientIdentityException {
        try {
            return FileNames.resolve(home, name);
        } catch (IOException e) {
            throw new ClientIdentityException(problem, name, e.getMessage());
        }
    }

    /** A FIFO would block the read for good, a directory is no certificate: only a regular file is read. */
    private static void requireRegular(Path file, String name, ClientIdentityException.Problem problem)
            throws ClientIdentityException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new ClientIdentityException(problem, name, "not a regular file");
        }
    }

    /** Why a file could not be read, in the words of the file system. */
    private static String unreadable(Path file, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "this user may not read it";
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            return "not a regular file";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "it holds bytes that are no text, so no PEM certificate or key";
        }
        return "it cannot be read (" + e.getClass().getSimpleName() + ")";
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    private static boolean belongTogether(PublicKey publicKey, PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : null;
        if (algorithm == null || !publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "qmail-remote".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
