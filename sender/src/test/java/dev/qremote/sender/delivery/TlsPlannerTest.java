package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.Fault;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnsjavaResolver;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.tls.TlsMode;
import dev.qremote.sender.tls.Verification;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The TLS plan for one MX from tlsdestinations, the TLS patches' tlshosts/notlshosts, tlsclientciphers,
 * the port, and DANE (a secure TLSA set from fake-dns acting as a validating resolver).
 */
@ExtendWith(FakeDnsExtension.class)
class TlsPlannerTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.RSA);

    @TempDir
    Path home;
    private FakeDnsServer dns;
    private InetAddress address;

    @BeforeEach
    void setUp(FakeDnsServer dns) throws IOException {
        this.dns = dns;
        Files.createDirectories(home.resolve("control"));
        address = InetAddress.getByName("127.0.0.1");
    }

    @Test
    void withoutControlFilesTlsIsOpportunisticWithAPlaintextRetry() throws Exception {
        TlsPlan plan = planner(TlsDestinations.none(), true).plan(mx(false), 25);
        assertThat(plan.policy().mode()).isEqualTo(TlsMode.OPPORTUNISTIC);
        assertThat(plan.mandatory()).isFalse();
        assertThat(plan.never()).isFalse();
        assertThat(plan.implicit()).isFalse();
        assertThat(plan.plaintextRetry()).isTrue();
        assertThat(plan.servicePort()).isEqualTo(25);
        assertThat(plan.names()).containsExactly("mx.example.test");
        assertThat(planner(TlsDestinations.none(), false).plan(mx(false), 25).plaintextRetry())
                .as("control/tlsfallback defer").isFalse();
    }

    @Test
    void tlshostsMakesTlsMandatoryAgainstThatCa() throws Exception {
        Files.createDirectories(home.resolve("control/tlshosts"));
        Path pem = home.resolve("control/tlshosts/mx.example.test.pem");
        Files.writeString(pem, CA.leaf("mx.example.test").chainPem());
        TlsPlan plan = planner(TlsDestinations.none(), true).plan(mx(false), 25);
        assertThat(plan.mandatory()).isTrue();
        assertThat(plan.plaintextRetry()).isFalse();
        assertThat(plan.policy().verification()).isEqualTo(Verification.CA_AND_NAME_WILDCARD);
        assertThat(plan.policy().caLocation()).contains(pem.toString());
        assertThat(plan.policy().matchedRule()).isEqualTo("tlshosts/mx.example.test.pem");
    }

    @Test
    void notlshostsMeansNoTls() throws Exception {
        Files.createDirectories(home.resolve("control/notlshosts"));
        Files.writeString(home.resolve("control/notlshosts/mx.example.test"), "");
        assertThat(planner(TlsDestinations.none(), true).plan(mx(false), 25).never()).isTrue();
    }

    @Test
    void aTlsdestinationsRuleOutranksTlshosts() throws Exception {
        Files.createDirectories(home.resolve("control/tlshosts"));
        Files.writeString(home.resolve("control/tlshosts/mx.example.test.pem"), CA.leaf("mx.example.test").chainPem());
        TlsPlan plan = planner(TlsDestinations.parse(List.of("!example.test:")), true).plan(mx(false), 25);
        assertThat(plan.never()).isTrue();
    }

    @Test
    void aNameThatWouldClimbOutOfTheDirectoryIsNoFileName() throws Exception {
        Files.createDirectories(home.resolve("control/notlshosts"));
        Files.writeString(home.resolve("control/notlshosts/..pem"), "");
        Destination odd = new Destination(10, "..pem", address, false);
        assertThat(planner(TlsDestinations.none(), true).plan(odd, 25).policy().matchedRule()).isEqualTo("default");
    }

    @Test
    void tlsclientciphersApplyWhereTheRuleNamesNone() throws Exception {
        Files.writeString(home.resolve("control/tlsclientciphers"),
                "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384\nTLS_CHACHA20_POLY1305_SHA256\n");
        assertThat(planner(TlsDestinations.none(), true).plan(mx(false), 25).policy().ciphers()).containsExactly(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void port465IsTlsFromTheFirstByte() throws Exception {
        TlsPlan plan = planner(TlsDestinations.none(), true).plan(mx(false), 465);
        assertThat(plan.implicit()).isTrue();
        assertThat(plan.mandatory()).isTrue();
        assertThat(plan.servicePort()).isEqualTo(465);
    }

    @Test
    void aSecureTlsaSetMakesTlsMandatoryAndDecidesTheCertificate() throws Exception {
        byte[] data = CA.leaf("mx.example.test").tlsaData(3, 1, 1);
        signed(FakeZone.of("test.").tlsa("_25._tcp.mx.example.test.", 3, 1, 1, data)
                .tlsa("_25._tcp.mx.example.test.", 0, 0, 1, data));
        TlsPlan plan = planner(TlsDestinations.none(), true).plan(mx(true), 25);
        assertThat(plan.daneRequired()).isTrue();
        assertThat(plan.mandatory()).isTrue();
        assertThat(plan.plaintextRetry()).isFalse();
        assertThat(plan.tlsa()).as("usage 0 is not for SMTP (RFC 7672 3.1.3)").hasSize(1);
        assertThat(plan.names()).containsExactly("mx.example.test", "example.test");
    }

    @Test
    void withoutSecureAddressesNoTlsaIsAsked() throws Exception {
        signed(FakeZone.of("test.").tlsa("_25._tcp.mx.example.test.", 3, 1, 1,
                CA.leaf("mx.example.test").tlsaData(3, 1, 1)));
        TlsPlan plan = planner(TlsDestinations.none(), true).plan(mx(false), 25);
        assertThat(plan.daneRequired()).isFalse();
        assertThat(dns.queries()).noneMatch(q -> q.type() == Type.TLSA);
    }

    @Test
    void aTlsaLookupThatFailsIsAReasonToDefer() {
        dns.fault("_25._tcp.mx.example.test.", Type.TLSA, Fault.SERVFAIL);
        assertThatThrownBy(() -> planner(TlsDestinations.none(), true).plan(mx(true), 25))
                .isInstanceOf(DnsTemporaryException.class);
    }

    @Test
    void aRuleForEveryDestinationIsTheBaselineAnMtaStsPolicyStrengthens() throws Exception {
        // fresh8 F0: "*:" and its kin counted as the operator's word for every domain and switched MTA-STS off
        dev.qremote.sender.sts.StsPolicy enforce = dev.qremote.sender.sts.StsPolicy.parse(
                "version: STSv1\nmode: enforce\nmx: other.example.test\nmax_age: 100\n");
        for (String rule : new String[] {"*:", "?:", "-:", "/:", "-*:", "+*:", "~*:", "=*:", "/*:", "-*:=ab:cd"}) {
            TlsPlan plan = planner(TlsDestinations.parse(List.of(rule)), true)
                    .sts(Optional.of(enforce), Optional.of("ca.pem"), false).plan(mx(false), 25);
            assertThat(plan.enforcement()).as(rule).isEqualTo(Enforcement.STS_ENFORCE);
            assertThat(plan.mxListed()).as(rule).isFalse();
            assertThat(plan.policy().mode()).as(rule).isEqualTo(TlsMode.MANDATORY);
            assertThat(plan.policy().verification()).as(rule).isEqualTo(Verification.CA_AND_NAME_WILDCARD);
            assertThat(plan.policy().fingerprint()).as(rule).isEmpty();
        }
        for (String rule : new String[] {"example.test:", "?mx.example.test:", "!example.test:"}) {
            TlsPlan plan = planner(TlsDestinations.parse(List.of("-*:", rule)), true)
                    .sts(Optional.of(enforce), Optional.empty(), false).plan(mx(false), 25);
            assertThat(plan.enforcement()).as(rule).isEqualTo(Enforcement.NONE);
        }
    }

    @Test
    void underAMandatoryBaselineTlsRequiredNoLeavesTlsMandatoryAndTestingKeepsTheBaselinesCas() throws Exception {
        dev.qremote.sender.sts.StsPolicy enforce = dev.qremote.sender.sts.StsPolicy.parse(
                "version: STSv1\nmode: enforce\nmx: other.example.test\nmax_age: 100\n");
        TlsPlan waived = planner(TlsDestinations.parse(List.of("-*:")), true)
                .sts(Optional.of(enforce), Optional.empty(), true).plan(mx(false), 25);
        assertThat(waived.enforcement()).isEqualTo(Enforcement.STS_WAIVED);
        assertThat(waived.mandatory()).isTrue();
        TlsPlan relaxed = planner(TlsDestinations.parse(List.of("*:")), false)
                .sts(Optional.of(enforce), Optional.empty(), true).plan(mx(false), 25);
        assertThat(relaxed.plaintextRetry()).isTrue();
        dev.qremote.sender.sts.StsPolicy testing = dev.qremote.sender.sts.StsPolicy.parse(
                "version: STSv1\nmode: testing\nmx: other.example.test\nmax_age: 100\n");
        TlsPlan audited = planner(TlsDestinations.parse(List.of("~*:own-ca.pem")), true)
                .sts(Optional.of(testing), Optional.of("sts-ca.pem"), false).plan(mx(false), 25);
        assertThat(audited.enforcement()).isEqualTo(Enforcement.STS_TESTING);
        assertThat(audited.policy().caLocation()).contains("own-ca.pem");
    }

    @Test
    void theMessagesHeaderIsReadOnlyWhereDaneOrMtaStsWouldMakeTlsMandatory() throws Exception {
        int[] reads = new int[1];
        java.util.function.BooleanSupplier header = () -> {
            reads[0]++;
            return false;
        };
        TlsPlanner plain = planner(TlsDestinations.none(), true).sts(Optional.empty(), Optional.empty(), header);
        plain.plan(mx(false), 25);
        plain.plan(mx(false), 25);
        assertThat(reads[0]).as("no DANE answer, no policy: TLS-Required is not asked").isZero();
        dev.qremote.sender.sts.StsPolicy enforce = dev.qremote.sender.sts.StsPolicy.parse(
                "version: STSv1\nmode: enforce\nmx: other.example.test\nmax_age: 100\n");
        TlsPlanner sts = planner(TlsDestinations.none(), true).sts(Optional.of(enforce), Optional.empty(), header);
        assertThat(sts.plan(mx(false), 25).enforcement()).isEqualTo(Enforcement.STS_ENFORCE);
        sts.plan(mx(false), 25);
        assertThat(reads[0]).as("asked once for the delivery, however many MX are planned").isEqualTo(1);
    }

    private void signed(FakeZone zone) {
        SignedHierarchy.builder().zone(zone, Trust.SECURE).build().serveOn(dns);
        dns.actAsValidatingResolver(true);
    }

    private Destination mx(boolean authentic) {
        return new Destination(10, "mx.example.test", address, authentic);
    }

    private TlsPlanner planner(TlsDestinations destinations, boolean fallback) throws Exception {
        return new TlsPlanner(destinations, dev.qremote.sender.settings.ControlSnapshot.read(home),
                DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2), DnssecMode.TRUST_AD, "", Deadline.none()),
                DnssecMode.TRUST_AD, "example.test", "a@sender.test", Optional.empty(), fallback);
    }
}
