package dev.qremote.sender.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The client side of TLS for one connection: TLS 1.2 or newer, SNI set to the MX host's name, the cipher
 * suites the policy allows, and this connection's {@link PeerVerifier} judging the certificate. Made by
 * {@link TlsContexts}, whose shared SSLContext may resume an earlier session with the same server: then the
 * handshake shows no certificate, and the verifier judges the session's certificates before the socket is
 * handed out, so a resumed connection is held to its own policy exactly as a new one is. One thread.
 */
public final class TlsClient {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final ConnectionTrust trust;
    private final PeerVerifier verifier;
    private final List<String> ciphers;
    private volatile boolean resumed;
    private volatile String protocol;
    private volatile String cipherSuite;

    TlsClient(SSLContext context, ConnectionTrust trust, PeerVerifier verifier, List<String> ciphers) {
        this.context = context;
        this.trust = trust;
        this.verifier = verifier;
        this.ciphers = List.copyOf(ciphers);
    }

    /**
     * Cipher suites by their JSSE names. OpenSSL selectors and names ("HIGH", "!SSLv2", "aNULL",
     * "ECDHE-RSA-AES128-GCM-SHA256") have no JSSE meaning and are skipped; a name with an underscore is meant
     * as JSSE's (IANA's) name, and when such names were given and none is supported, that is an error, not a
     * silent default ("NOPE_CIPHER" was taken for a selector, and the JDK's defaults were used).
     */
    static List<String> supportedCiphers(Set<String> supported, List<String> wanted) throws TlsConfigException {
        List<String> chosen = new ArrayList<>();
        boolean named = false;
        for (String cipher : wanted) {
            if (cipher.indexOf('_') >= 0) {
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

    /** The protocol of the last handshake ("TLSv1.3"); null before one succeeded. */
    public String protocol() {
        return protocol;
    }

    /** The cipher suite of the last handshake, by its JSSE name; null before one succeeded. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** Whether the last handshake resumed an earlier session (its certificates were judged afterwards). */
    public boolean resumed() {
        return resumed;
    }

    /**
     * Runs the handshake over {@code plain} (after STARTTLS, or at once for implicit TLS). The session cache
     * is keyed by the peer's address and port, which are passed on for that.
     *
     * @throws SSLHandshakeException with a {@link PeerCheckException} cause (also kept by {@link #verifier()})
     *     when the certificate of a resumed session fails this connection's policy; the socket is then closed
     * @throws IOException when the handshake fails
     */
    public SSLSocket handshake(Socket plain, String serverName) throws IOException {
        java.util.Optional<SNIHostName> sni = sniName(serverName);
        // the JDK keys its session cache by this host and port: by the MX name where there is one, so that two
        // MX names on one address never offer each other's sessions (the resumed one carried the other's SNI)
        String peer = sni.map(SNIHostName::getAsciiName).orElse(plain.getInetAddress().getHostAddress());
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, peer, plain.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        List<String> protocols = new ArrayList<>(Arrays.asList(PROTOCOLS));
        protocols.retainAll(Arrays.asList(ssl.getSupportedProtocols()));
        parameters.setProtocols(protocols.toArray(new String[0]));
        if (!ciphers.isEmpty()) {
            parameters.setCipherSuites(ciphers.toArray(new String[0]));
        }
        parameters.setServerNames(sni.<List<javax.net.ssl.SNIServerName>>map(List::of).orElse(List.of()));
        ssl.setSSLParameters(parameters);
        trust.register(ssl, verifier);
        ssl.startHandshake();
        if (!verifier.judged()) {
            resumed = true;
            SSLSession session = ssl.getSession();
            try {
                verifier.check(peerChain(session), authType(session));
            } catch (PeerCheckException refused) {
                try {
                    ssl.close();
                } catch (IOException ignored) {
                    // refused either way
                }
                SSLHandshakeException e = new SSLHandshakeException("resumed session refused by the policy");
                e.initCause(refused);
                throw e;
            }
        }
        SSLSession session = ssl.getSession();
        protocol = session.getProtocol();
        cipherSuite = session.getCipherSuite();
        return ssl;
    }

    private static X509Certificate[] peerChain(SSLSession session) {
        try {
            Certificate[] certificates = session.getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[certificates.length];
            for (int i = 0; i < certificates.length; i++) {
                if (!(certificates[i] instanceof X509Certificate x509)) {
                    return new X509Certificate[0];
                }
                chain[i] = x509;
            }
            return chain;
        } catch (SSLPeerUnverifiedException none) {
            return new X509Certificate[0];
        }
    }

    /**
     * The authentication type JSSE would have given the trust manager: "UNKNOWN" for TLS 1.3, else the key
     * exchange named in the suite ("ECDHE_RSA" of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).
     */
    static String authType(SSLSession session) {
        String suite = session.getCipherSuite();
        int with = suite.indexOf("_WITH_");
        if ("TLSv1.3".equals(session.getProtocol()) || with < 0 || !suite.startsWith("TLS_")) {
            return "UNKNOWN";
        }
        return suite.substring("TLS_".length(), with);
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
