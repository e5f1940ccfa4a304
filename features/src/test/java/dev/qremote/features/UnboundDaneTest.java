package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.SenderRun;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * DANE through a real validating resolver: fake-dns serves a signed test hierarchy, Unbound (in a container,
 * host networking) validates it from the test root's key and sets AD, and bin/qmail-remote with
 * control/dnssec "ad" asks Unbound, then delivers to a real Postfix whose certificate a TLSA record names,
 * or does not, or whose zone is bogus. Each case runs per process and through a resident bin/qmail-rspawn
 * ({@link DeliveryPath}). Skipped, with the reason, where no Docker engine or image is at hand.
 */
class UnboundDaneTest {
    private static final String UNBOUND_IMAGE = "qremote/unbound:bookworm";
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private final LoopbackAddress at = LoopbackAddress.draw();
    private FakeDnsServer fakeDns;
    private GenericContainer<?> unbound;
    private PostfixContainer postfix;
    private int smtpPort;
    private int unboundPort;

    @BeforeEach
    void needsImages() throws Exception {
        ContainerEngine.assumeImage(PostfixContainer.IMAGE);
        ContainerEngine.assumeImage(UNBOUND_IMAGE);
        smtpPort = at.freePort();
        postfix = PostfixContainer.start(at, Map.of("SMTP_PORT", Integer.toString(smtpPort)));
        fakeDns = FakeDnsServer.start(InetAddress.getByName(at.address()), 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (unbound != null) {
            unbound.stop();
        }
        if (fakeDns != null) {
            fakeDns.close();
        }
        if (postfix != null) {
            postfix.close();
        }
    }

    /** SHA-256 of the public key of the certificate Postfix made at start: TLSA 3 1 1 data. */
    private byte[] postfixKeyDigest() throws Exception {
        byte[] pem = postfix.file("/etc/postfix/tls/cert.pem");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
    }

    /** Serves the zone, starts Unbound on it and waits until Unbound answers the MX question. */
    private Message serve(FakeZone zone, Trust trust) throws Exception {
        // test. as a signed zone of its own: Unbound asks for test. DS on its way down, and the fake root
        // would answer it as an empty non-terminal without a proof
        SignedHierarchy tree = SignedHierarchy.builder().zone(FakeZone.of("test."), Trust.SECURE).zone(zone, trust)
                .build();
        tree.serveOn(fakeDns);
        int port = at.freePort();
        unboundPort = port;
        unbound = new GenericContainer<>(DockerImageName.parse(UNBOUND_IMAGE))
                .withNetworkMode("host")
                .withEnv(Map.of("LISTEN", at.address(), "PORT", Integer.toString(port),
                        "UPSTREAM", at.address() + "@" + fakeDns.address().getPort(),
                        "TRUST_ANCHOR", tree.trustAnchor()));
        unbound.start();
        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(at.address()));
        resolver.setPort(port);
        resolver.setEDNS(0, 1232, ExtendedFlags.DO);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message question = Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.MX, DClass.IN));
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return resolver.send(question);
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("Unbound did not answer within " + WAIT + "; its output: "
                            + unbound.getLogs(), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    private FakeZone exampleZone() {
        return FakeZone.of("example.test.").mx("@", 10, "mx1").a("mx1", at.address());
    }

    private String unboundLog() throws Exception {
        return unbound.execInContainer("cat", "/var/log/unbound.log").getStdout();
    }

    private SenderRun deliver(DeliveryPath path) throws Exception {
        Path control = Files.createDirectories(dir.resolve("qmail/control"));
        Files.writeString(control.resolve("me"), "sender.test\n");
        Files.writeString(control.resolve("dnssec"), "ad\n");
        Path message = dir.resolve("message.eml");
        Files.writeString(message, "Subject: DANE\n\nHello.\n", StandardCharsets.US_ASCII);
        return path.deliver(dir.resolve("qmail"), dir, List.of("example.test", "alice@sender.test", "bob@example.test"),
                message, Map.of("QREMOTE_DNS", at.address() + ":" + unboundPort,
                        "QREMOTE_SMTP_PORT", Integer.toString(smtpPort)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aTlsaRecordForPostfixsKeyIsValidatedByUnboundAndMatched(DeliveryPath path) throws Exception {
        Message answer = serve(exampleZone().tlsa("_25._tcp.mx1", 3, 1, 1, postfixKeyDigest()), Trust.SECURE);
        assertThat(answer.getHeader().getFlag(Flags.AD)).as("Unbound's AD bit on the MX answer").isTrue();

        SenderRun run = deliver(path);

        path.reports(run)
                .startsWith("r\\0\nK" + at.address() + " TLS (TLSA validated) transmitted message accepted.");
        assertThat(postfix.awaitMailbox(1, WAIT)).hasSize(1);
        assertThat(postfix.awaitLog("status=sent", WAIT)).contains("TLS connection established from");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aTlsaRecordForAnotherKeyDefersAndNothingIsSent(DeliveryPath path) throws Exception {
        byte[] other = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Message answer = serve(exampleZone().tlsa("_25._tcp.mx1", 3, 1, 1, other), Trust.SECURE);
        assertThat(answer.getHeader().getFlag(Flags.AD)).as("Unbound's AD bit on the MX answer").isTrue();

        SenderRun run = deliver(path);

        path.reports(run).isEqualTo(
                "ZTLSA X.509 cert required but missing from: mx1.example.test for example.test. (#4.7.5)\\n\\0\n");
        assertThat(postfix.awaitMailbox(0, Duration.ZERO)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aBogusZoneIsRefusedByUnboundAndTheMessageDeferred(DeliveryPath path) throws Exception {
        Message answer = serve(exampleZone().tlsa("_25._tcp.mx1", 3, 1, 1, postfixKeyDigest()), Trust.BAD_SIGNATURE);
        assertThat(answer.getRcode()).as("Unbound's answer to a bogus zone").isEqualTo(org.xbill.DNS.Rcode.SERVFAIL);

        SenderRun run = deliver(path);

        path.reports(run).isEqualTo("ZSorry, I couldn't find any host by that name. (#4.1.2)\\n\\0\n");
        assertThat(unboundLog()).contains("validation failure <example.test. MX IN>");
        assertThat(postfix.awaitMailbox(0, Duration.ZERO)).isEmpty();
    }
}
