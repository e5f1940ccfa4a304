package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** STARTTLS and SMTPS against the JDK's own TLS client, with every kind of generated certificate. */
class TlsTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.ECDSA);
    private SmtpServer server;

    private SmtpServer serve(SmtpScript script) throws Exception {
        server = SmtpServer.start(InetAddress.getLoopbackAddress(), 0, script);
        return server;
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void starttlsThenEhloAgainThenAMessage(KeyKind kind) throws Exception {
        TestCertificates ca = TestCertificates.create(kind);
        serve(SmtpScript.builder().starttls(ca.leaf("mx.fake.test")).build());
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            assertThat(c.command("EHLO client.test")).contains("250 STARTTLS");
            assertThat(c.command("STARTTLS")).startsWith("220 ");
            c.tls(IssuedCertificate.clientTrusting(ca.root()), "mx.fake.test");
            assertThat(c.command("EHLO client.test")).doesNotContain("STARTTLS");
            c.command("MAIL FROM:<a@b>");
            c.command("RCPT TO:<c@d>");
            c.command("DATA");
            assertThat(c.command("hi\r\n.")).startsWith("250 ");
            c.command("QUIT");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        TlsInfo tls = server.messages().get(0).tls();
        assertThat(tls.serverName()).isEqualTo("mx.fake.test");
        assertThat(tls.protocol()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(server.transcripts().get(0).render()).contains("-- TLS started: ");
    }

    @Test
    void implicitTls() throws Exception {
        serve(SmtpScript.builder().implicitTls(CA.leaf("mx.fake.test")).build());
        SSLContext client = IssuedCertificate.clientTrusting(CA.root());
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                .createSocket(server.address().getAddress(), server.address().getPort())) {
            s.startHandshake();
            assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("220 ");
        }
    }

    @Test
    void certificateKindsAreJudgedByARealClient() throws Exception {
        assertThat(handshake(CA.leaf("mx.fake.test"))).isNull();
        assertThat(handshake(CA.leaf("*.fake.test"))).as("wildcard").isNull();
        assertThat(handshake(CA.leafViaIntermediate("mx.fake.test"))).as("chain with intermediate").isNull();
        assertThat(handshake(CA.leaf("other.test"))).as("wrong name").isNotNull();
        assertThat(handshake(CA.expired("mx.fake.test"))).as("expired").isNotNull();
        assertThat(handshake(CA.notYetValid("mx.fake.test"))).as("not yet valid").isNotNull();
        assertThat(handshake(CA.selfSigned("mx.fake.test"))).as("self-signed").isNotNull();
    }

    /** The client's failure, or null when the handshake and name check passed. */
    private SSLException handshake(IssuedCertificate certificate) throws Exception {
        close();
        serve(SmtpScript.builder().starttls(certificate).build());
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            c.command("STARTTLS");
            c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
            return null;
        } catch (SSLException e) {
            return e;
        }
    }

    @Test
    void fingerprintsAndTlsaDataMatchWhatTheClientReceives() throws Exception {
        IssuedCertificate certificate = CA.leafViaIntermediate("mx.fake.test");
        serve(SmtpScript.builder().starttls(certificate).build());
        X509Certificate peer;
        X509Certificate top;
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            c.command("STARTTLS");
            javax.net.ssl.SSLSocket ssl = c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
            peer = c.peer();
            top = (X509Certificate) ssl.getSession().getPeerCertificates()[1];
        }
        HexFormat hex = HexFormat.of();
        for (String digest : new String[] {"SHA-1", "SHA-224", "SHA-256", "SHA-512"}) {
            assertThat(certificate.fingerprint(digest)).isEqualTo(hex.formatHex(MessageDigest.getInstance(digest)
                    .digest(peer.getEncoded())));
        }
        assertThat(certificate.tlsaData(3, 0, 0)).isEqualTo(peer.getEncoded());
        assertThat(certificate.tlsaData(3, 1, 1))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(peer.getPublicKey().getEncoded()));
        assertThat(certificate.tlsaData(3, 0, 2)).isEqualTo(MessageDigest.getInstance("SHA-512").digest(peer.getEncoded()));
        assertThat(certificate.tlsaData(2, 0, 1)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(top.getEncoded()));
        assertThat(certificate.tlsaData(2, 1, 0)).isEqualTo(top.getPublicKey().getEncoded());
    }

    @Test
    void clientCertificatesAreDemandedAndRecorded() throws Exception {
        serve(SmtpScript.builder().starttls(CA.leaf("mx.fake.test")).clientCertificates(CA.root()).build());
        IssuedCertificate clientCert = CA.leaf("client.sender.test");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", clientCert.key(), "x".toCharArray(),
                clientCert.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.root());
        tmf.init(trust);
        SSLContext withCert = SSLContext.getInstance("TLS");
        withCert.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            c.command("STARTTLS");
            c.tls(withCert, "mx.fake.test");
            c.command("QUIT");
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.tlsSessions().get(0).clientSubject()).isEqualTo("CN=client.sender.test");

        assertThatThrownBy(() -> {
            try (LineClient c = new LineClient(server.address())) {
                c.reply();
                c.command("EHLO client.test");
                c.command("STARTTLS");
                c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
                c.command("NOOP");
            }
        }).as("no client certificate, no session").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void starttlsCanBeRefused() throws Exception {
        serve(SmtpScript.builder().starttls(CA.leaf("mx.fake.test"))
                .on("STARTTLS", Action.reply(454, "4.7.0 TLS not available due to local problem")).build());
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(c.command("STARTTLS")).isEqualTo("454 4.7.0 TLS not available due to local problem");
        }
    }

    @Test
    void bytesSentBeforeTheHandshakeAreDiscardedAndNoted() throws Exception {
        serve(SmtpScript.builder().starttls(CA.leaf("mx.fake.test")).build());
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            c.command("EHLO client.test");
            c.send("STARTTLS\r\nMAIL FROM:<injected@evil>");
            c.reply();
            c.tls(IssuedCertificate.clientTrusting(CA.root()), "mx.fake.test");
            c.command("QUIT");
        } catch (SSLException expected) {
            // the injected bytes may also break the handshake; either way they never count
        }
        server.awaitIdle(Duration.ofSeconds(2));
        assertThat(server.transcripts().get(0).render()).contains("bytes the client sent before the TLS handshake");
    }
}
