package dev.qremote.sender.tls;

import dev.qremote.sender.dns.Tlsa;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of TLS for one connection: TLS 1.2 or newer, SNI set to the MX host's name, the cipher
 * suites the policy allows, and a {@link PeerVerifier} judging the certificate during the handshake.
 */
public final class TlsClient {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final PeerVerifier verifier;
    private final List<String> ciphers;

    private TlsClient(SSLContext context, PeerVerifier verifier, List<String> ciphers) {
        this.context = context;
        this.verifier = verifier;
        this.ciphers = ciphers;
    }

    /**
     * @param tlsa secure, usable TLSA records (DANE), or none
     * @param names the names the certificate may carry: the MX host, then the destination domain
     * @throws TlsConfigException when the CA file or directory gives no certificate, or no cipher is usable
     */
    public static TlsClient create(TlsPolicy policy, List<Tlsa> tlsa, List<String> names, Clock clock,
            java.util.Optional<ClientIdentity> identity) throws TlsConfigException {
        boolean needsCa = tlsa.isEmpty() && policy.verification() != Verification.NONE
                && policy.verification() != Verification.PINNED;
        X509TrustManager caTrust = needsCa ? TrustStores.forLocation(policy.caLocation()) : null;
        PeerVerifier verifier = new PeerVerifier(policy, tlsa, names, caTrust, clock);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity.isPresent() ? keyManagers(identity.get()) : null,
                    new javax.net.ssl.TrustManager[] {verifier}, null);
            return new TlsClient(context, verifier, supportedCiphers(context, policy.ciphers()));
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(TlsConfigException.Kind.CONTEXT, "TLS context: " + e.getMessage());
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(ClientIdentity identity) throws GeneralSecurityException {
        char[] noPassword = new char[0];
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("client", identity.key(), noPassword, identity.chain().toArray(new java.security.cert.X509Certificate[0]));
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, noPassword);
        return factory.getKeyManagers();
    }

    /**
     * Cipher suites by their JSSE names. OpenSSL selectors ("HIGH", "!SSLv2", "aNULL") have no JSSE meaning
     * and are skipped; when names were given and none is supported, that is an error, not a silent default.
     */
    private static List<String> supportedCiphers(SSLContext context, List<String> wanted) throws TlsConfigException {
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        List<String> chosen = new ArrayList<>();
        boolean named = false;
        for (String cipher : wanted) {
            if (cipher.startsWith("TLS_") || cipher.startsWith("SSL_")) {
                named = true;
                if (supported.contains(cipher)) {
                    chosen.add(cipher);
                }
            }
        }
        if (named && chosen.isEmpty()) {
            throw new TlsConfigException(TlsConfigException.Kind.CIPHERS, String.join(":", wanted));
        }
        return chosen;
    }

    public PeerVerifier verifier() {
        return verifier;
    }

    /** Runs the handshake over {@code plain} (after STARTTLS, or at once for implicit TLS). */
    public SSLSocket handshake(Socket plain, String serverName) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        List<String> protocols = new ArrayList<>(Arrays.asList(PROTOCOLS));
        protocols.retainAll(Arrays.asList(ssl.getSupportedProtocols()));
        parameters.setProtocols(protocols.toArray(new String[0]));
        if (!ciphers.isEmpty()) {
            parameters.setCipherSuites(ciphers.toArray(new String[0]));
        }
        sniName(serverName).ifPresent(name -> parameters.setServerNames(List.of(name)));
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * SNI (RFC 6066 3) carries only an LDH host name without a trailing dot: a name from DNS or a route
     * that is not one ("mx_1.example", "relay.test.") goes without SNI rather than failing the delivery.
     */
    private static java.util.Optional<SNIHostName> sniName(String serverName) {
        if (serverName == null || !isHostName(serverName)) {
            return java.util.Optional.empty();
        }
        String name = serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
        try {
            return java.util.Optional.of(new SNIHostName(name));
        } catch (IllegalArgumentException notLdh) {
            return java.util.Optional.empty();
        }
    }

    private static boolean isHostName(String name) {
        return !name.startsWith("[") && name.chars().anyMatch(Character::isLetter) && name.indexOf(':') < 0;
    }
}
