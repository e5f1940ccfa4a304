package dev.qremote.sender.tls;

import dev.qremote.fakemx.tls.IssuedCertificate;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS server on loopback with one SSLContext for its whole life (so it can resume sessions), speaking
 * TLS from the first byte: after the handshake it writes one byte and waits for the client to close. It
 * counts full handshakes (its key is used only by those) and records the client certificate's subject.
 */
final class LoopbackTlsServer implements Closeable {
    private final SSLServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-tls");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger fullHandshakes = new AtomicInteger();
    private final List<String> serverNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();

    /** @param protocol "TLSv1.3" or "TLSv1.2": the only one offered */
    LoopbackTlsServer(IssuedCertificate certificate, String protocol) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("server", certificate.key(), password, certificate.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        X509ExtendedKeyManager counted = new Counting((X509ExtendedKeyManager) factory.getKeyManagers()[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {counted}, new TrustManager[] {new AnyClient()}, null);
        listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 100,
                InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {protocol});
        listener.setWantClientAuth(true);
        threads.execute(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** Handshakes in which the server proved its key: resumed ones are not counted. */
    /** The SNI names of the full handshakes, in order ("" for none). */
    List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    int fullHandshakes() {
        return fullHandshakes.get();
    }

    /** Handshakes completed, full or resumed. */
    int handshakes() {
        return handshakes.get();
    }

    /** The subject of each completed handshake's client certificate, "-" for none, in completion order. */
    List<String> clientSubjects() {
        return List.copyOf(clientSubjects);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                threads.execute(() -> serve((SSLSocket) socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            String subject = "-";
            try {
                subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName();
            } catch (SSLPeerUnverifiedException none) {
                // no client certificate
            }
            clientSubjects.add(subject);
            handshakes.incrementAndGet();
            socket.getOutputStream().write('+');
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // until the client closes
            }
        } catch (IOException refusedOrClosed) {
            // a refused handshake or a client that closed at once
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }

    /** Counts the server's choices of its own key: a resumed handshake makes none. */
    private final class Counting extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager inner;

        Counting(X509ExtendedKeyManager inner) {
            this.inner = inner;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String alias = inner.chooseServerAlias(keyType, issuers, socket);
            if (alias != null) {
                fullHandshakes.incrementAndGet();
                serverNames.add(socket instanceof javax.net.ssl.SSLSocket ssl
                        && ssl.getHandshakeSession() instanceof javax.net.ssl.ExtendedSSLSession session
                        && !session.getRequestedServerNames().isEmpty()
                        ? ((javax.net.ssl.SNIHostName) session.getRequestedServerNames().get(0)).getAsciiName() : "");
            }
            return alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return inner.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return inner.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return inner.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return inner.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return inner.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return inner.getPrivateKey(alias);
        }
    }

    /** Takes any client certificate: the tests look at which one was sent, not whether it is good. */
    private static final class AnyClient implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // any
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not judge servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
