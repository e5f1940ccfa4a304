package dev.qremote.sender.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust managers for CA verification: from a PEM file, from every file of a directory ("path/"), or the JDK's. */
final class TrustStores {
    /** A CA file larger than this is not one (the JDK's whole cacerts bundle is about 200 KB as PEM). */
    static final long MAX_CA_FILE = 16L << 20;

    private TrustStores() {
    }

    static X509TrustManager forLocation(Optional<String> location) throws TlsConfigException {
        try {
            KeyStore store = null;
            if (location.isPresent()) {
                List<Certificate> certificates = load(FileNames.of(location.get()), location.get().endsWith("/"));
                if (certificates.isEmpty()) {
                    throw new TlsConfigException(TlsConfigException.Kind.CA, location.get());
                }
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca" + i, certificates.get(i));
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new TlsConfigException(TlsConfigException.Kind.CA, location.orElse("the JDK's trusted CAs"));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(TlsConfigException.Kind.CA, location.orElse("the JDK's trusted CAs"));
        }
    }

    private static List<Certificate> load(Path path, boolean directory) throws IOException {
        List<Certificate> out = new ArrayList<>();
        if (!directory) {
            out.addAll(parse(path));
            return out;
        }
        if (!Files.isDirectory(path)) {
            // opening a FIFO (or a link to one) as a directory blocks in open(2) until a writer comes
            throw new IOException("not a CA directory: " + path);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    out.addAll(parse(file));
                }
            }
        }
        return out;
    }

    /** @throws IOException for anything but a regular file of at most {@link #MAX_CA_FILE} bytes */
    private static List<Certificate> parse(Path file) throws IOException {
        // /dev/zero or a FIFO named as a CA file would be read for ever, past every timeout
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_CA_FILE) {
            throw new IOException("not a CA file: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (java.security.cert.CertificateException e) {
            return List.of(); // not a certificate file: hashed directories hold other files too
        }
    }
}
