package dev.qremote.sender.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * qmail-remote-check against real control directories in a temporary qmail home and fake-dns on loopback;
 * the output is compared whole with golden/check/NAME.ref (HOME, DNS and JAVA stand for the temporary
 * home, the fake DNS server's address and the stub JDK's home). The stub JDK's bin/java is a script, so
 * the Java probe's lines are the same on every machine; one test starts the real JVM.
 */
@ExtendWith(FakeDnsExtension.class)
class QmailRemoteCheckTest {
    @TempDir
    Path home;
    @TempDir
    Path jdk;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeDnsServer dns;

    @BeforeEach
    void setUp(FakeDnsServer dns) throws IOException {
        this.dns = dns;
        Files.createDirectories(home.resolve("control"));
        env.put("QMAILHOME", home.toString());
        env.put("QREMOTE_DNS", "127.0.0.1:" + dns.address().getPort());
        env.put("PATH", "/nonexistent");
        stubJava("exit 0");
        env.put("JAVA_HOME", jdk.toString());
    }

    @Test
    void aCleanHomeSaysNoProblems() throws IOException {
        control("me", "sender.test\n");
        assertThat(check()).isEqualTo(0);
        assertGolden("clean");
    }

    @Test
    void everyProblemIsNamedWithFileAndLine() throws IOException {
        control("me", "sender.test\n");
        control("timeoutremote", "99999999999\n");
        control("smtproutes", "# relays\nexample.com:relay.example.net:2525\nbroken.test:relay.test:70000\n");
        control("authsenders", "@sender.test:relay.test;abc|user|secret\n");
        control("domainips", "*:192.0.2.1|bad name\n");
        control("tlsfallback", "sometimes\n");
        control("dnssec", "maybe\n");
        control("tlsdestinations", "example.com:\n%mx.example.com:\n");
        control("domaincerts", "sender.test:cert\r.pem\n");
        assertThat(check()).isEqualTo(1);
        assertGolden("problems");
    }

    /** qmail-remote defers a sender's mail on a domainips address it cannot use: so the check names it. */
    @Test
    void aDomainipsAddressQmailRemoteCannotUseIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("domainips", "# bindings\nsender.test:300.1.2.3\nother.test:192.0.2.1%no-such-interface9|mx.other.test\n"
                + "good.test:127.0.0.1\n");
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("problem: control/domainips line 2: invalid local address 300.1.2.3\n")
                .contains("problem: control/domainips line 3: no interface no-such-interface9\n")
                .doesNotContain("line 4");
    }

    @Test
    void aDeliveryByMxIsExplainedWithDnssecDaneAndTheDecidingLines() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "ad\n");
        control("domainips", "sender.test:127.0.0.1|helo.sender.test\n");
        control("tlsdestinations", "# policy\n*:\n~mx2.example.test:\n");
        SignedHierarchy.builder().zone(FakeZone.of("test.")
                .mx("example.test.", 10, "mx1.example.test.").mx("example.test.", 20, "mx2.example.test.")
                .a("mx1.example.test.", "127.0.0.2").a("mx2.example.test.", "127.0.0.3")
                .tlsa("_25._tcp.mx1.example.test.", 3, 1, 1, new byte[32]), Trust.SECURE).build().serveOn(dns);
        dns.actAsValidatingResolver(true);
        assertThat(check("example.test", "alice@sender.test")).isEqualTo(0);
        assertGolden("mx");
    }

    @Test
    void aRelayWithCredentialsShowsTheMechanismsAndNeverTheSecret() throws IOException {
        control("helohost", "out.sender.test\n");
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        control("smtproutes", ":[127.0.0.9]:587:ignored\n.example.test:relay.test;587|alice|s3cret-pass\n");
        control("authplaintext", "relay.test\n");
        dns.zone(FakeZone.of("test.").a("relay.test.", "127.0.0.5"));
        assertThat(check("mail.example.test", "bob@sender.test")).isEqualTo(0);
        assertGolden("relay");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret");
    }

    @Test
    void aTokenFileThatCannotBeReadIsNamedAndAnAddressLiteralAsksNoDns() throws IOException {
        control("me", "sender.test\n");
        control("authsenders", "@sender.test:relay.test|alice|oauth2:control/token\n");
        assertThat(check("[192.0.2.1]", "bob@other.test")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "problem: control/authsenders: the OAuth token file control/token (from the qmail home) is not a"
                        + " readable regular file\n",
                "  0 [192.0.2.1] 192.0.2.1 (no DNS)\n", "  dane: not used (an address literal)\n");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void aDomainThatDoesNotExistWouldBounce() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        dns.zone(FakeZone.of("test."));
        assertThat(check("nowhere.test")).isEqualTo(0);
        assertGolden("nxdomain");
    }

    /** classic's loop check: this machine as the best MX of a domain it does not take as local bounces. */
    @Test
    void thisMachineAsTheBestMxWouldBounce() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        dns.zone(FakeZone.of("test.").mx("loop", 10, "mx.loop").a("mx.loop", "127.0.0.1"));
        assertThat(check("loop.test")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("mx: 127.0.0.1 is this machine, and the best"
                + " mail exchanger left: the message would bounce (#5.4.6)\n");
    }

    /** Control bytes of a control file or an argument never reach the terminal as they are. */
    @Test
    void controlBytesAreShownEscaped() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "\u001b[2Jmaybe\n");
        check("a\u0001b.test");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\u001b").doesNotContain("\u0001").contains("\\x1b[2Jmaybe");
    }

    /** A CA file the delivery cannot use defers it: the check says so. */
    @Test
    void aTlsPolicyThatCannotBeUsedIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("tlsdestinations", "[192.0.2.1]:/nonexistent/ca.pem\n");
        assertThat(check("[192.0.2.1]")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: the TLS policy for [192.0.2.1] cannot be used"
                + " (/nonexistent/ca.pem): qmail-remote would defer (#4.3.0)\n");
    }

    /**
     * A client certificate or key qmail-remote could not load defers every delivery that would present it:
     * the check loads each domaincerts line (and clientcert.pem) as the delivery does and says why not.
     */
    @Test
    void aDomaincertsCertificateOrKeyThatCannotBeLoadedIsAProblem() throws IOException {
        control("me", "sender.test\n");
        TestCertificates ca = TestCertificates.create(KeyKind.RSA);
        IssuedCertificate good = ca.leaf("client.sender.test");
        IssuedCertificate other = ca.leaf("other.sender.test");
        control("good.pem", good.chainPem() + good.keyPem());
        control("cert.pem", good.chainPem());
        control("otherkey.pem", other.keyPem());
        control("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        Files.createDirectories(home.resolve("control/adirectory.pem"));
        control("domaincerts", "# client certificates\n*:control/good.pem\nmissing.test:control/missing.pem\n"
                + "garbage.test:control/garbage.pem\nmismatch.test:control/cert.pem|control/otherkey.pem\n"
                + "nokey.test:control/cert.pem\ndir.test:control/adirectory.pem\n");
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("problem:")).toList())
                .containsExactly(
                        "problem: control/domaincerts line 3: the certificate control/missing.pem cannot be loaded:"
                                + " no such file",
                        "problem: control/domaincerts line 4: the certificate control/garbage.pem cannot be loaded:"
                                + " it holds no PEM certificate that can be read",
                        "problem: control/domaincerts line 5: the key control/otherkey.pem does not belong to the"
                                + " certificate control/cert.pem",
                        "problem: control/domaincerts line 6: the key control/cert.pem cannot be loaded: it holds no"
                                + " private key that can be read (PKCS#8, or OpenSSL's RSA or EC form; or the password"
                                + " is wrong)",
                        "problem: control/domaincerts line 7: the certificate control/adirectory.pem cannot be loaded:"
                                + " not a regular file");
    }

    /** control/clientcert.pem is what a delivery presents when domaincerts names nothing: checked the same way. */
    @Test
    void aClientcertPemThatCannotBeLoadedIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("clientcert.pem", "no PEM here\n");
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: control/clientcert.pem: the certificate"
                + " control/clientcert.pem cannot be loaded: it holds no PEM certificate that can be read\n");
    }

    /** An address that is a literal but not this host's: bind(2) fails, and qmail-remote defers that sender's mail. */
    @Test
    void aDomainipsAddressNotOnThisHostIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("domainips", "sender.test:192.0.2.77\nlocal.test:127.0.0.1\n");
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("problem:")).toList())
                .singleElement().asString().startsWith("problem: control/domainips line 1: 192.0.2.77 is not an"
                        + " address of this host (it cannot be bound:");
    }

    /** A route's local address (s/qmail's last field) is bound by the delivery that takes the route: the same. */
    @Test
    void aRouteLocalAddressNotOnThisHostIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("smtproutes", "# relays\nexample.test:relay.test||192.0.2.78\nlocal.test:relay.test||127.0.0.1\n");
        control("authsenders", "@sender.test:relay.test|user|secret|192.0.2.79\n");
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("problem:")).toList())
                .satisfiesExactly(
                        l -> assertThat(l).startsWith("problem: control/authsenders line 1: 192.0.2.79 is not an"
                                + " address of this host (it cannot be bound:"),
                        l -> assertThat(l).startsWith("problem: control/smtproutes line 2: 192.0.2.78 is not an"
                                + " address of this host (it cannot be bound:"));
    }

    /** DNS that does not answer defers every delivery there: a problem, named apart from a name that does not exist. */
    @Test
    void dnsThatDoesNotAnswerIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        control("timeoutdns", "1\n");
        dns.zone(FakeZone.of("test."));
        dns.fault("broken.test.", org.xbill.DNS.Type.MX, dev.qremote.fakedns.Fault.SERVFAIL);
        dns.fault("silent.test.", org.xbill.DNS.Type.MX, dev.qremote.fakedns.Fault.DROP);
        assertThat(check("broken.test")).isEqualTo(1);
        assertGolden("servfail");
        out.reset();
        assertThat(check("silent.test")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: mx: the lookup of silent.test failed"
                + " temporarily (no answer for silent.test MX), which is not NXDOMAIN: the delivery would defer (#4.1.2)\n");
    }

    /** A deliverylog the delivery cannot write loses every line silently: the check says so. */
    @Test
    void aDeliverylogThatCannotBeWrittenIsAProblem() throws Exception {
        control("me", "sender.test\n");
        Files.createDirectories(home.resolve("log/adirectory"));
        Process mkfifo = new ProcessBuilder("mkfifo", home.resolve("log/fifo").toString()).start();
        assertThat(mkfifo.waitFor()).isEqualTo(0);
        Map<String, String> cases = Map.of(
                "nodir/delivery.json", "its directory HOME/nodir does not exist",
                "log/adirectory", "it is not a regular file",
                "log/fifo", "it is not a regular file",
                "/dev/stdout", "it names standard output or error, which qmail-remote never logs to");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            control("deliverylog", c.getKey() + "\n");
            out.reset();
            assertThat(check()).as(c.getKey()).isEqualTo(1);
            String target = c.getKey().startsWith("/") ? c.getKey() : home.resolve(c.getKey()).toString();
            assertThat(out.toString(StandardCharsets.UTF_8).replace(home.toString(), "HOME")).as(c.getKey())
                    .contains("problem: control/deliverylog line 1: " + target.replace(home.toString(), "HOME")
                            + " cannot be written: " + c.getValue() + "; no line would be logged\n");
        }
        control("deliverylog", "log/delivery.json\n");
        out.reset();
        assertThat(check()).isEqualTo(0);
        assertThat(home.resolve("log/delivery.json")).doesNotExist();
        control("deliverylog", "# the log\nlog/delivery.json\n"); // one-line files have no comments
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: control/deliverylog line 1: the log is the"
                + " file " + home.resolve("# the log") + ": a one-line control file has no comments, so a first line"
                + " starting with '#' is the file name\n");
    }

    /**
     * A cipher list for an address literal: the delivery to [192.0.2.9] builds its TLS client with it and defers
     * on names the JDK does not know. The check judges every line's list as a control-file problem (also for an
     * address the explanation never reaches, such as one of this host's own, which bounces first), and the
     * explanation shows the list and where it comes from, as for a domain.
     */
    @Test
    void aCipherListForAnAddressLiteralIsShownAndJudged() throws IOException {
        control("me", "sender.test\n");
        control("tlsdestinations", "[192.0.2.9]:|NOPE_CIPHER\n[192.0.2.3]:|TLS_AES_128_GCM_SHA256\n");
        assertThat(check("[192.0.2.9]")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("problem: control/tlsdestinations line 1: no cipher suite of NOPE_CIPHER is one this JDK"
                        + " knows: a delivery this line decides would defer (#4.3.0)\n")
                .contains("decided by control/tlsdestinations line 1: [192.0.2.9]:|NOPE_CIPHER\n")
                .contains("  tls ciphers: NOPE_CIPHER (control/tlsdestinations line 1)\n")
                .contains("problem: the TLS policy for [192.0.2.9] cannot be used");
        control("tlsdestinations", "[192.0.2.3]:|TLS_AES_128_GCM_SHA256\n");
        control("tlsclientciphers", "NOPE_CIPHER\n");
        out.reset();
        assertThat(check("[192.0.2.3]")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("  tls ciphers: TLS_AES_128_GCM_SHA256 (control/tlsdestinations line 1)\n")
                .contains("problem: control/tlsclientciphers: no cipher suite of NOPE_CIPHER is one this JDK knows:"
                        + " a delivery under a policy that names no ciphers would defer (#4.3.0)\n")
                .doesNotContain("problem: the TLS policy");
    }

    @Test
    void aBrokenJdkIsSpelledOut() throws IOException {
        control("me", "sender.test\n");
        stubJava("echo 'Error occurred during initialization of VM'; echo 'Could not find agent library'; exit 1");
        assertThat(check()).isEqualTo(1);
        assertGolden("brokenjdk");
    }

    @Test
    void aJavaHomeWithoutJavaFallsBackToPath() throws IOException {
        control("me", "sender.test\n");
        env.put("JAVA_HOME", home.resolve("nojdk").toString());
        assertThat(check()).isEqualTo(1);
        assertGolden("nojava");
    }

    /** The real JVM, as the launcher starts it: a heap of 1 MB stops it, and the check names the variable. */
    @Test
    void qremoteJavaOptionsThatStopTheJvmAreNamed() throws IOException {
        control("me", "sender.test\n");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        assertThat(check()).isEqualTo(0);
        env.put("QREMOTE_JAVA_OPTIONS", "-Xmx1m");
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("does not start with the launcher's options and QREMOTE_JAVA_OPTIONS=-Xmx1m: exit status 1")
                .contains("java: it starts without QREMOTE_JAVA_OPTIONS: the cause is QREMOTE_JAVA_OPTIONS=-Xmx1m")
                .contains("the launcher exits 111 and every delivery is deferred with \"Unable to run qmail-remote.\"");
    }

    /** MTA-STS on: a policy server with a certificate of a test CA, control/mtastscafile naming that CA. */
    private dev.qremote.fakemx.PolicyServer stsBench(String policyCacheDirectory) throws IOException {
        TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        control("mtasts", "on\n");
        Files.writeString(home.resolve("control/ca.pem"), dev.qremote.fakemx.tls.Pem.certificate(ca.root()));
        control("mtastscafile", "control/ca.pem\n");
        Files.createDirectories(home.resolve(policyCacheDirectory));
        control("mtastscache", policyCacheDirectory + "\n");
        dev.qremote.fakemx.PolicyServer server = dev.qremote.fakemx.PolicyServer.start(
                java.net.InetAddress.getLoopbackAddress(), 0, ca.leaf("mta-sts.example.test"));
        env.put("QREMOTE_HTTPS_PORT", Integer.toString(server.address().getPort()));
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").mx("example", 20, "mx2.example")
                .a("mx1.example", "127.0.0.2").a("mx2.example", "127.0.0.3")
                .txt("_mta-sts.example", "v=STSv1; id=20260101;").a("mta-sts.example", "127.0.0.1"));
        return server;
    }

    @Test
    void mtaStsIsExplainedWithTheRecordTheCacheThePolicyAndTheMxItLists() throws IOException {
        try (var server = stsBench("sts")) {
            server.policy("version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n");
            assertThat(check("example.test")).isEqualTo(0);
            assertGolden("sts");
            assertThat(server.requests()).hasSize(1);
            assertThat(home.resolve("sts")).isEmptyDirectory(); // the check keeps nothing
        }
    }

    /** A policy that cannot be had is named as what a delivery would do: go as without a policy. */
    @Test
    void anMtaStsPolicyThatCannotBeHadIsAProblem() throws IOException {
        try (var server = stsBench("sts")) {
            server.answer(404, "text/plain", "gone\n");
            assertThat(check("example.test")).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("  record: TXT at _mta-sts.example.test"
                    + " \"v=STSv1; id=20260101;\", id 20260101\n", "  cache: control/mtastscache (HOME/sts): no policy"
                    .replace("HOME", home.toString()) + " kept for example.test\n",
                    "problem: mta-sts: the policy of example.test cannot be had: sts-policy-fetch-error (HTTP status"
                    + " 404): a delivery would go as without a policy (RFC 8461 5.1)");
        }
    }

    /** A fresh cached policy under the record's id is what a delivery uses: the host is not asked. */
    @Test
    void aFreshCachedPolicyUnderTheSameIdIsUsedWithoutAskingThePolicyHost() throws IOException {
        try (var server = stsBench("sts")) {
            new dev.qremote.sender.sts.PolicyDirectory(home.resolve("sts")).put("example.test",
                    new dev.qremote.sender.sts.CachedPolicy("20260101", parse(
                            "version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 600\n"),
                            java.time.Instant.now()));
            assertThat(check("example.test")).isEqualTo(0);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("a policy kept for example.test, id 20260101,",
                    "  policy: the cached one (a delivery would not ask the policy host): mode testing, max_age 600 s,"
                            + " mx *.example.test\n",
                    "  mx1.example.test: listed: TLS with a certificate valid for mx1.example.test checked, not required"
                            + " (testing)\n");
            assertThat(server.requests()).isEmpty();
        }
    }

    private static dev.qremote.sender.sts.StsPolicy parse(String text) {
        try {
            return dev.qremote.sender.sts.StsPolicy.parse(text);
        } catch (dev.qremote.sender.sts.StsPolicyException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutAQmailHomeTheCheckIsUnusable() {
        env.put("QMAILHOME", home.resolve("missing").toString());
        assertThat(check()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a directory: no qmail home (QMAILHOME)");
        env.put("QMAILHOME", home.toString());
        assertThat(check("-h")).isEqualTo(2);
    }

    /** The probe must start Java as bin/qmail-remote does: the same options, in the same order. */
    @Test
    void theProbeUsesTheLaunchersOptions() throws IOException {
        String launcher = Files.readString(Path.of("../bin/qmail-remote"));
        String command = launcher.substring(launcher.indexOf("\"$java\" -XX:+IgnoreUnrecognizedVMOptions"));
        command = command.substring(0, command.indexOf("-jar")).replace("\\\n", " ").replaceAll("\\s+", " ");
        String expected = "\"$java\" " + String.join(" ", JavaProbe.LAUNCHER_OPTIONS) + " $archive ${"
                + JavaProbe.OPTIONS_VARIABLE + ":-} " + JavaProbe.LAST_OPTION + " ";
        assertThat(command).isEqualTo(expected);
    }

    private int check(String... args) {
        return Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Path.of("target/classes"));
    }

    private void control(String name, String content) throws IOException {
        Files.writeString(home.resolve("control").resolve(name), content, StandardCharsets.ISO_8859_1);
    }

    private void stubJava(String body) throws IOException {
        Path java = jdk.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void assertGolden(String name) throws IOException {
        String actual = out.toString(StandardCharsets.UTF_8)
                .replace(jdk.toString(), "JAVA")
                .replace(home.toString(), "HOME")
                .replace("127.0.0.1:" + dns.address().getPort(), "DNS");
        if (System.getenv("QREMOTE_GOLDEN_PRINT") != null) {
            System.out.println("=== " + name + "\n" + actual);
        }
        assertThat(actual.lines().toList()).isEqualTo(Golden.lines("check/" + name + ".ref"));
    }
}
