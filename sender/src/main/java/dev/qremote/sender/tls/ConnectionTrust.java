package dev.qremote.sender.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one trust manager of every shared client context: it hands the server's chain to the
 * {@link PeerVerifier} registered for the socket being handshaken, so that one SSLContext (and its session
 * cache) serves connections with different policies. A chain for a socket nobody registered, or offered
 * without a socket, is refused: failing closed is the only safe guess. A socket stays registered while it
 * is reachable, so a TLS 1.2 renegotiation is judged by the same verifier. Thread-safe.
 */
final class ConnectionTrust extends X509ExtendedTrustManager {
    /** Weak keys: an entry goes with its socket. Sockets do not override equals, so keys are by identity. */
    private final Map<Socket, PeerVerifier> verifiers = new WeakHashMap<>();

    /** From now on, certificates seen on {@code socket} are judged by {@code verifier}. */
    void register(Socket socket, PeerVerifier verifier) {
        synchronized (verifiers) {
            verifiers.put(socket, verifier);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        PeerVerifier verifier;
        synchronized (verifiers) {
            verifier = verifiers.get(socket);
        }
        if (verifier == null) {
            throw new CertificateException("no policy for this connection");
        }
        verifier.check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("no policy for an SSLEngine");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("no policy without a socket");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a client does not judge clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a client does not judge clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not judge clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
