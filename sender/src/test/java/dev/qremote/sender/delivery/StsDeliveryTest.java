package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.PolicyServer;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.Pem;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.sts.PolicyMemory;
import dev.qremote.sender.sts.StsMode;
import dev.qremote.sender.sts.StsOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MTA-STS outcome a delivery records for TLS reporting (DeliveryResult.sts), and the policy memory a
 * long-lived context shares between deliveries: real sockets, a fake DNS and a fake HTTPS policy host.
 */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class StsDeliveryTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.ECDSA);
    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private PolicyServer policyHost;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/mtasts"), "on\n");
        Files.writeString(home.resolve("control/ca.pem"), Pem.certificate(CA.root()));
        Files.writeString(home.resolve("control/mtastscafile"), "control/ca.pem\n");
        policyHost = PolicyServer.start(InetAddress.getLoopbackAddress(), 0, CA.leaf("mta-sts.example.test"));
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        context.httpsPort = policyHost.address().getPort();
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1")
                .txt("_mta-sts.example", "v=STSv1; id=1;").a("mta-sts.example", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        policyHost.close();
    }

    private DeliveryResult deliver() {
        return new DeliveryEngine(context).deliver(TestRequests.of(List.of("example.test", "a@sender.test",
                "b@example.test"), new ByteArrayInputStream("Hi.\n.\n".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void anUnlistedMxIsRecordedAsAValidationFailureOfTheEnforcedPolicy() {
        policyHost.policy("version: STSv1\nmode: enforce\nmx: mail.example.test\nmax_age: 600\n");
        DeliveryResult result = deliver();
        assertThat(result.messageReport().template().letter()).isEqualTo('Z');
        StsOutcome outcome = result.sts().orElseThrow();
        assertThat(outcome.domain()).isEqualTo("example.test");
        assertThat(outcome.policyType()).isEqualTo("sts");
        assertThat(outcome.mode()).contains(StsMode.ENFORCE);
        assertThat(outcome.mxPatterns()).containsExactly("mail.example.test");
        assertThat(outcome.policyString()).containsExactly("version: STSv1", "mode: enforce", "mx: mail.example.test",
                "max_age: 600");
        assertThat(outcome.resultType()).isEqualTo("validation-failure");
        assertThat(outcome.receivingMx()).isEqualTo("mx1.example.test");
    }

    @Test
    void aPolicyHostThatAnswers404IsAFetchErrorAndTheMessageGoes() {
        policyHost.answer(404, "text/plain", "no\n");
        DeliveryResult result = deliver();
        assertThat(result.messageReport().template().letter()).isEqualTo('K');
        assertThat(result.sts()).hasValueSatisfying(o -> {
            assertThat(o.resultType()).isEqualTo("sts-policy-fetch-error");
            assertThat(o.mode()).isEmpty();
        });
    }

    @Test
    void aLongLivedContextAsksThePolicyHostOnceAPerDeliveryOneEachTime() {
        policyHost.policy("version: STSv1\nmode: testing\nmx: mx1.example.test\nmax_age: 600\n");
        context.stsMemory = new PolicyMemory();
        deliver();
        deliver();
        assertThat(policyHost.requests()).hasSize(1);
        context.stsMemory = null;
        deliver();
        deliver();
        assertThat(policyHost.requests()).hasSize(3);
    }

    private List<dev.qremote.sender.tlsrpt.SessionOutcome> spooled() throws IOException {
        return dev.qremote.sender.tlsrpt.Spool.read(home.resolve("tlsrpt"),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** RFC 8460 4.3.2.1: an MX the enforce policy does not list is a validation-failure, never contacted. */
    @Test
    void anUnlistedMxIsSpooledForTlsReportingUnderTheStsPolicy() throws IOException {
        Files.writeString(home.resolve("control/tlsrptspool"), "tlsrpt\n");
        policyHost.policy("version: STSv1\nmode: enforce\nmx: mail.example.test\nmax_age: 600\n");
        deliver();
        assertThat(spooled()).singleElement().satisfies(s -> {
            assertThat(s.policy()).isEqualTo(dev.qremote.sender.tlsrpt.TlsRptPolicy.sts("example.test", List.of(
                    "version: STSv1", "mode: enforce", "mx: mail.example.test", "max_age: 600"),
                    List.of("mail.example.test")));
            assertThat(s.result()).isEqualTo("validation-failure");
            assertThat(s.mxHost()).isEqualTo("mx1.example.test");
            assertThat(s.receivingIp()).isEqualTo("127.0.0.1");
            assertThat(s.sendingIp()).isEmpty();
        });
    }

    /** RFC 8460 4.3.1: a policy that could not be had is one line of the delivery, with no MX. */
    @Test
    void aPolicyThatCannotBeHadIsOneSpooledLineWithoutAnMx() throws IOException {
        Files.writeString(home.resolve("control/tlsrptspool"), "tlsrpt\n");
        policyHost.answer(404, "text/plain", "no\n");
        deliver();
        assertThat(spooled()).filteredOn(s -> s.policy().type().equals("sts")).singleElement().satisfies(s -> {
            assertThat(s.result()).isEqualTo("sts-policy-fetch-error");
            assertThat(s.policy().policyString()).isEmpty();
            assertThat(s.mxHost()).isEmpty();
        });
    }

    @Test
    void mtaStsOffRecordsNothing() throws IOException {
        Files.writeString(home.resolve("control/mtasts"), "off\n");
        assertThat(deliver().sts()).isEqualTo(Optional.empty());
        assertThat(policyHost.requests()).isEmpty();
    }
}
