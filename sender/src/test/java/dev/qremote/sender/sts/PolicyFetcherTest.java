package dev.qremote.sender.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy fetch over a real TLS socket on loopback: a server that writes a scripted HTTP answer, so that
 * the body forms (chunked, close-delimited), the size limit, the media type and the time limit are seen.
 */
class PolicyFetcherTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.ECDSA);
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.a.test\nmax_age: 60\n";
    private SSLServerSocket server;
    private final AtomicReference<String> request = new AtomicReference<>("");

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one connection: reads the request head, then writes {@code answer} (null: writes nothing). */
    private int serve(IssuedCertificate certificate, byte[] answer) throws IOException {
        server = (SSLServerSocket) certificate.serverContext(null).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    head.append((char) c);
                }
                request.set(head.toString());
                if (answer == null) {
                    Thread.sleep(5000);
                    return;
                }
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
            } catch (IOException | InterruptedException e) {
                // the test sees what the client made of it
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    private static X509TrustManager trusting() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", CA.root());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private PolicyFetcher.Result fetch(int port, Duration limit) throws Exception {
        PolicyFetcher fetcher = new PolicyFetcher((target, timeout) -> {
            Socket socket = new Socket();
            socket.connect(target, (int) timeout.toMillis());
            return socket;
        }, trusting(), port, Duration.ofSeconds(5), limit);
        return fetcher.fetch("a.test", List.of(InetAddress.getLoopbackAddress()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aChunkedBodyWithACharsetIsAPolicy() throws Exception {
        String chunked = Integer.toHexString(10) + "\r\n" + POLICY.substring(0, 10) + "\r\n"
                + Integer.toHexString(POLICY.length() - 10) + ";ext=1\r\n" + POLICY.substring(10) + "\r\n0\r\n\r\n";
        int port = serve(CA.leaf("mta-sts.a.test"), bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked));
        assertThat(fetch(port, Duration.ofSeconds(10))).isEqualTo(new PolicyFetcher.Result.Body(POLICY));
        assertThat(request.get()).startsWith("GET /.well-known/mta-sts.txt HTTP/1.1\r\n")
                .contains("\r\nHost: mta-sts.a.test:" + port + "\r\n");
    }

    @Test
    void aBodyToTheEndOfTheConnectionIsAPolicy() throws Exception {
        int port = serve(CA.leaf("*.a.test"), bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + POLICY));
        assertThat(fetch(port, Duration.ofSeconds(10))).isEqualTo(new PolicyFetcher.Result.Body(POLICY));
    }

    @Test
    void moreThanSixtyFourKibibytesIsNoPolicy() throws Exception {
        String big = POLICY + "x: " + "y".repeat(PolicyFetcher.MAX_BODY) + "\n";
        int port = serve(CA.leaf("mta-sts.a.test"), bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + big));
        assertThat(fetch(port, Duration.ofSeconds(10))).isInstanceOf(PolicyFetcher.Result.Failed.class)
                .extracting(r -> ((PolicyFetcher.Result.Failed) r).resultType()).isEqualTo("sts-policy-invalid");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsNotRead() throws Exception {
        int port = serve(CA.leaf("mta-sts.a.test"), bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 9999999\r\n\r\n" + POLICY));
        assertThat(fetch(port, Duration.ofSeconds(10))).isEqualTo(new PolicyFetcher.Result.Failed(
                "sts-policy-invalid", "the policy is larger than 65536 bytes"));
    }

    @Test
    void aServerThatNeverAnswersEndsAtTheTimeLimit() throws Exception {
        int port = serve(CA.leaf("mta-sts.a.test"), null);
        long start = System.nanoTime();
        assertThat(fetch(port, Duration.ofMillis(700))).isEqualTo(new PolicyFetcher.Result.Failed(
                "sts-policy-fetch-error", "time limit passed"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aCertificateOfAnotherCaIsWebPkiInvalid() throws Exception {
        int port = serve(TestCertificates.create(KeyKind.ECDSA).leaf("mta-sts.a.test"), bytes("HTTP/1.1 200 OK\r\n"));
        assertThat(fetch(port, Duration.ofSeconds(10))).isEqualTo(new PolicyFetcher.Result.Failed(
                "sts-webpki-invalid", "the certificate of mta-sts.a.test is not trusted"));
    }
}
