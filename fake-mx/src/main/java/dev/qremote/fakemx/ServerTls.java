package dev.qremote.fakemx;

import dev.qremote.fakemx.tls.IssuedCertificate;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS for the fake servers: the certificate to present, and optionally the CA whose
 * client certificates are demanded. Records the SNI name the client sent. One SSLContext serves every
 * session of a script, so a client that keeps its sessions can resume them (as with a real server);
 * a client with a new context per connection still gets full handshakes. Thread-safe.
 */
public final class ServerTls {
    private final IssuedCertificate certificate;
    private final X509Certificate clientTrust;
    private SSLContext context;

    public ServerTls(IssuedCertificate certificate, X509Certificate clientTrust) {
        this.certificate = certificate;
        this.clientTrust = clientTrust;
    }

    public IssuedCertificate certificate() {
        return certificate;
    }

    /** The CA whose client certificates are demanded, or null. */
    public X509Certificate clientTrust() {
        return clientTrust;
    }

    private synchronized SSLContext context() {
        if (context == null) {
            context = certificate.serverContext(clientTrust);
        }
        return context;
    }

    /** Runs the handshake on an accepted (or STARTTLS-upgraded) socket. */
    Handshake handshake(Socket plain) throws IOException {
        SSLContext context = context();
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        ssl.setUseClientMode(false);
        AtomicReference<String> sni = new AtomicReference<>();
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(0) {
            @Override
            public boolean matches(SNIServerName name) {
                sni.set(name instanceof SNIHostName host ? host.getAsciiName() : null);
                return true;
            }
        }));
        parameters.setNeedClientAuth(clientTrust != null);
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        String client = null;
        try {
            client = ((X509Certificate) ssl.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException none) {
            // the client sent no certificate
        }
        return new Handshake(ssl, new TlsInfo(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite(),
                sni.get(), client));
    }

    /** The socket after the handshake, and what it settled. */
    record Handshake(SSLSocket socket, TlsInfo info) {
    }
}
