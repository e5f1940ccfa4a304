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
        control("domainips", "*:127.0.0.1|bad name\n");
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
                "problem: control/authsenders line 1: the OAuth token file control/token (from the qmail home) is not a"
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
                + " (control/tlsdestinations line 1: the CA file /nonexistent/ca.pem cannot be loaded: no such file):"
                + " qmail-remote would defer (#4.3.0)\n");
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

    /**
     * Every CA file or directory tlsdestinations and tlshosts name is loaded by the plain check, as a delivery
     * under it would load it, with the line and why it cannot be (fresh7 M1).
     */
    @Test
    void everyCaFileIsLoadedWithoutADomain() throws IOException {
        control("me", "sender.test\n");
        TestCertificates ca = TestCertificates.create(KeyKind.RSA);
        control("good-ca.pem", ca.leaf("mx.test").chainPem());
        control("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        Files.createDirectories(home.resolve("control/emptydir"));
        control("tlsdestinations", "# CAs\nmx1.example.test:/nonexistent/ca.pem\n=mx2.example.test:control/garbage.pem\n"
                + "mx3.example.test:control/good-ca.pem\nmx4.example.test:control/emptydir/\n"
                + "mx5.example.test:control/emptydir\n!mx6.example.test:/nonexistent/never-loaded.pem\n");
        Files.createDirectories(home.resolve("control/tlshosts"));
        control("tlshosts/mx7.example.test.pem", "random bytes, no certificate\n");
        control("tlshosts/mx8.example.test.pem", ca.leaf("mx8.test").chainPem());
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly(
                "problem: control/tlsdestinations line 2: the CA file /nonexistent/ca.pem cannot be loaded: no such"
                        + " file: a delivery this line decides would defer (#4.3.0)",
                "problem: control/tlsdestinations line 3: the CA file control/garbage.pem cannot be loaded: it holds"
                        + " no PEM certificate that can be read: a delivery this line decides would defer (#4.3.0)",
                "problem: control/tlsdestinations line 5: the CA directory control/emptydir/ cannot be loaded: none of"
                        + " its files holds a PEM certificate: a delivery this line decides would defer (#4.3.0)",
                "problem: control/tlsdestinations line 6: the CA file control/emptydir cannot be loaded: a directory"
                        + " (a CA directory is written with a final '/'): a delivery this line decides would defer (#4.3.0)",
                "problem: control/tlshosts/mx7.example.test.pem: the CA file cannot be loaded: it holds no PEM"
                        + " certificate that can be read: every delivery to mx7.example.test would defer (#4.3.0)");
    }

    /** With a domain, the policy that cannot be used names its line and why (fresh7 M1). */
    @Test
    void anUnusableCaFileInTheExplanationNamesItsLineAndWhy() throws IOException {
        control("me", "sender.test\n");
        control("tlsdestinations", "# CA\n[192.0.2.1]:/nonexistent/ca.pem\n");
        assertThat(check("[192.0.2.1]")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: the TLS policy for [192.0.2.1] cannot be"
                + " used (control/tlsdestinations line 2: the CA file /nonexistent/ca.pem cannot be loaded: no such"
                + " file): qmail-remote would defer (#4.3.0)\n");
    }

    /** A pin no certificate can match defers every delivery the line decides (fresh7 M2). */
    @Test
    void aPinThatCanNeverMatchIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("tlsdestinations", "%a.test:=zz\n%b.test:=0123456789abcdef\n%c.test:=\n"
                + "%d.test:=" + "ab:".repeat(31) + "ab\n%e.test:=" + "g".repeat(64) + "\n");
        assertThat(check()).isEqualTo(1);
        String why = " is not a SHA-1, SHA-224, SHA-256 or SHA-512 fingerprint (40, 56, 64 or 128 hex digits): no"
                + " certificate can match it, and a delivery this line decides would defer (#4.3.0)";
        assertThat(problems()).containsExactly(
                "problem: control/tlsdestinations line 1: the pin 'zz'" + why,
                "problem: control/tlsdestinations line 2: the pin '0123456789abcdef'" + why,
                "problem: control/tlsdestinations line 3: the pin ''" + why,
                "problem: control/tlsdestinations line 5: the pin '" + "g".repeat(64) + "'" + why);
    }

    /** tlsdestinations lines that can never apply, and cipher names Java does not use (fresh7 L10). */
    @Test
    void tlsdestinationsLinesThatNeverApplyAreNamed() throws IOException {
        control("me", "sender.test\n");
        control("tlsdestinations", "&mx1.example.test:\nmx2.example.test\n*:|HIGH:!aNULL\n"
                + "=mx3.example.test:|TLS_AES_128_GCM_SHA256:MEDIUM\n[192.0.2.1]:\n.example.test:\n");
        control("tlsclientciphers", "HIGH\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly(
                "problem: control/tlsdestinations line 1: '&mx1.example.test' is neither a host name nor a domain"
                        + " (a prefix s/qmail does not know?): the line never applies",
                "problem: control/tlsdestinations line 2: no ':', so the line never applies",
                "problem: control/tlsdestinations line 3: HIGH:!aNULL are not Java cipher suite names (OpenSSL's?),"
                        + " which qmail-remote ignores: the JDK's default suites are used",
                "problem: control/tlsdestinations line 4: MEDIUM is not a Java cipher suite name (OpenSSL's?),"
                        + " which qmail-remote ignores",
                "problem: control/tlsclientciphers: HIGH is not a Java cipher suite name (OpenSSL's?),"
                        + " which qmail-remote ignores: the JDK's default suites are used");
    }

    /** One file that does not parse hides no other problem: bindings and token files are judged all the same (fresh7 M4). */
    @Test
    void oneProblemHidesNoOther() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        control("domainips", "*:192.0.2.77\nother.test:127.0.0.1%nonexist0\nthird.test:127.0.0.1|bad helo\n");
        control("smtproutes", "r.test:[127.0.0.71];2525|alice|oauth2:/nonexistent/tok\n");
        control("timeoutconnect", "99999999999\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("problem: control/timeoutconnect line 1: a number over 2147483647"),
                l -> assertThat(l).isEqualTo("problem: control/domainips line 3: the HELO name has bytes SMTP cannot carry"),
                l -> assertThat(l).isEqualTo("problem: control/smtproutes line 1: the OAuth token file /nonexistent/tok"
                        + " (from the qmail home) is not a readable regular file"),
                l -> assertThat(l).startsWith("problem: control/domainips line 1: 192.0.2.77 is not an address of this host"),
                l -> assertThat(l).isEqualTo("problem: control/domainips line 2: no interface nonexist0"));
    }

    /** "is unreadable" says why, and what it costs (fresh7 L1, M5). */
    @Test
    void anUnreadableFileSaysWhyAndWhatItCosts() throws Exception {
        control("me", "sender.test\n");
        Files.createDirectories(home.resolve("control/smtproutes"));
        assertThat(new ProcessBuilder("mkfifo", home.resolve("control/reuseidle").toString()).start().waitFor()).isEqualTo(0);
        Files.createSymbolicLink(home.resolve("control/authplaintext"), Path.of("/dev/zero"));
        Files.createSymbolicLink(home.resolve("control/tlsclientciphers"), Path.of("tlsclientciphers"));
        Files.createDirectories(home.resolve("control/deliverylog"));
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly(
                "problem: control/smtproutes is unreadable (a directory): every delivery would defer (#4.3.0)",
                "problem: control/reuseidle is unreadable (a FIFO): sessions are not kept for reuse; no delivery defers",
                "problem: control/authplaintext is unreadable (a device): a delivery by a route with credentials would"
                        + " defer (#4.3.0)",
                "problem: control/tlsclientciphers is unreadable (a symbolic link loop): every SMTP delivery would defer"
                        + " once a mail exchanger is found (#4.3.0)",
                "problem: control/deliverylog is unreadable (a directory): no line would be logged");
    }

    /** control/deliverylog that names no file that can be had: a NUL byte, a name too long, standard input (fresh7 M5, L8). */
    @Test
    void aDeliverylogNameThatCannotBeAFileIsAProblem() throws IOException {
        control("me", "sender.test\n");
        Map<String, String> cases = Map.of(
                "log/d\0.json", "control/deliverylog line 1: the name has a NUL byte, which no file name can hold: no line"
                        + " would be logged",
                "log/" + "x".repeat(300), "control/deliverylog line 1: a part of the name is longer than 255 bytes: no line"
                        + " would be logged",
                "/proc/self/fd/0", "control/deliverylog line 1: /proc/self/fd/0 cannot be written: it names standard input,"
                        + " which qmail-remote never logs to; no line would be logged");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            control("deliverylog", c.getKey() + "\n");
            out.reset();
            assertThat(check()).as(c.getKey()).isEqualTo(1);
            assertThat(problems()).as(c.getKey()).containsExactly("problem: " + c.getValue());
        }
    }

    /** clientcert.pem that is there but not a file: deliveries go without a client certificate (fresh7 L15). */
    @Test
    void aClientcertPemThatIsNotAFileIsAProblem() throws Exception {
        control("me", "sender.test\n");
        Files.createDirectories(home.resolve("control/clientcert.pem"));
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: control/clientcert.pem is not a regular file (a directory):"
                + " deliveries present no client certificate, as if it were not there");
        Files.delete(home.resolve("control/clientcert.pem"));
        Files.createSymbolicLink(home.resolve("control/clientcert.pem"), Path.of("/dev/zero"));
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: control/clientcert.pem is not a regular file (a device):"
                + " deliveries present no client certificate, as if it were not there");
    }

    /** A sender with CR, LF or NUL: the delivery bounces it (fresh7 L12). */
    @Test
    void aSenderSmtpCannotCarryWouldBounce() throws IOException {
        control("me", "sender.test\n");
        assertThat(check("[192.0.2.1]", "a@x.test\r")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("problem: the sender has bytes SMTP cannot carry"
                + " (CR, LF or NUL): the message would bounce (#5.1.7)\n");
    }

    /**
     * dnssec validate and answers that do not validate (an unsigned fake DNS under the IANA root): the resolver's
     * SERVFAIL is a DNSSEC validation failure, and the check says so and names control/dnssec (fresh7 M6).
     */
    @Test
    void answersThatFailValidationAreNamedAsSuch() throws IOException {
        control("me", "sender.test\n");
        control("timeoutdns", "5\n");
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.71"));
        assertThat(check("example.test")).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: mx: the lookup of example.test failed DNSSEC validation"
                + " (the answers cannot be proven from the IANA root's trust anchors, as control/dnssec validate"
                + " requires; without validation they are there): the delivery would defer (#4.1.2); a resolver that"
                + " strips DNSSEC records fails every answer: see control/dnssec (ad trusts the resolver's AD bit, off"
                + " asks for no proof)");
    }

    /** A relay that this host's smtproutes names and that does not exist, or has no address, bounces everything routed there (fresh7 L4). */
    @Test
    void aRelayThatDoesNotExistIsAProblem() throws IOException {
        control("me", "sender.test\n");
        control("dnssec", "off\n");
        control("smtproutes", "# relays\nnx.test:nosuchrelay.test:2525\nviamx.test:example.test:2525\n");
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.71"));
        assertThat(check("nx.test")).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: route: the relay nosuchrelay.test, which control/smtproutes"
                + " line 2 names, does not exist (NXDOMAIN): every message routed there would bounce (#5.1.2)");
        out.reset();
        assertThat(check("viamx.test")).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: route: the relay example.test, which control/smtproutes"
                + " line 3 names, has no address (a relay's MX records are not used): every message routed there would"
                + " bounce (#5.4.4)");
    }

    /** Which client certificate a delivery from the sender would present when asked (fresh7 L11). */
    @Test
    void theClientCertificateThatWouldBePresentedIsNamed() throws IOException {
        control("me", "sender.test\n");
        TestCertificates ca = TestCertificates.create(KeyKind.RSA);
        IssuedCertificate good = ca.leaf("client.sender.test");
        control("cert.pem", good.chainPem());
        control("key.pem", good.keyPem());
        control("both.pem", good.chainPem() + good.keyPem());
        control("domaincerts", "# certificates\nsender.test:control/cert.pem|control/key.pem|s3cret\n");
        check("[192.0.2.1]", "alice@sender.test");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("client certificate: control/cert.pem, key"
                + " control/key.pem, from control/domaincerts line 2 (key \"sender.test\"), presented when the server"
                + " asks\n").doesNotContain("s3cret");
        out.reset();
        check("[192.0.2.1]", "bob@other.test");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("client certificate: none (no control/domaincerts line"
                + " for other.test or *, no control/clientcert.pem)\n");
        control("clientcert.pem", good.chainPem() + good.keyPem());
        out.reset();
        check("[192.0.2.1]", "bob@other.test");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("client certificate: control/clientcert.pem"
                + " (certificate and key), presented when the server asks\n");
    }

    /** A relay with '[' and no ']' is named as that, not as a port (fresh7 L8). */
    @Test
    void anUnclosedBracketIsNamedAsSuch() throws IOException {
        control("me", "sender.test\n");
        control("smtproutes", "x.test:[::1\ny.test:[127.0.0.1]:99999\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly(
                "problem: control/smtproutes line 1: the route for x.test has '[' without ']' (an address literal is"
                        + " written [192.0.2.1] or [2001:db8::1])",
                "problem: control/smtproutes line 2: the route for y.test has no valid port");
    }

    /** A domaincerts line that names no certificate says so, not "the certificate  cannot be loaded" (fresh7 L8). */
    @Test
    void aDomaincertsLineWithoutACertificateSaysSo() throws IOException {
        control("me", "sender.test\n");
        control("domaincerts", "*:\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: control/domaincerts line 1: no certificate file is named:"
                + " a delivery that would present it defers (#4.3.0)");
    }

    /** A certificate file of bytes that are no text says that, not the name of a Java exception (fresh7 L8). */
    @Test
    void aBinaryCertificateFileSaysItIsNoText() throws IOException {
        control("me", "sender.test\n");
        control("bin.pem", "\u00ff\u00fe\u0000garbage\u00c3\n");
        control("domaincerts", "*:control/bin.pem\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: control/domaincerts line 1: the certificate control/bin.pem"
                + " cannot be loaded: it holds bytes that are no text, so no PEM certificate or key");
    }

    /** Values qmail-remote silently reads as something else are named with what they become (fresh7 L2). */
    @Test
    void valuesReadAsSomethingElseAreNamed() throws IOException {
        control("me", "\u00ff\u00febox\n");
        control("helohost", "a.test:[1.2.3.4]\n");
        control("timeoutdns", "1e3\n");
        control("timeoutconnect", "30s\n");
        control("timeoutremote", "-5\n");
        control("timeoutdelivery", "0\n");
        control("chunksizeremote", "4000000\n");
        control("reusemax", "50\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly(
                "problem: control/helohost line 1: 'a.test:[1.2.3.4]' is not a host name: EHLO would carry it as it is",
                "problem: control/timeoutconnect line 1: '30s' is read as 30 (only the leading digits count)",
                "problem: control/timeoutremote line 1: '-5' does not start with a digit: the default, 1200, is used",
                "problem: control/timeoutdns line 1: '1e3' is read as 1 (only the leading digits count)",
                "problem: control/chunksizeremote line 1: 4000000 is read as 1048576 (the largest chunk)",
                "problem: control/timeoutdelivery line 1: 0 is read as 1 (a timeout of 0 would be none)");
        control("helohost", "\n");
        out.reset();
        check();
        assertThat(problems()).first().isEqualTo("problem: control/helohost line 1: an empty host name: EHLO would carry"
                + " no name");
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

    /** An option that makes the JVM run nothing: the launcher refuses it (111), and the check says so (fresh7 L5). */
    @Test
    void qremoteJavaOptionsThatRunNoProgramAreNamed() throws IOException {
        control("me", "sender.test\n");
        env.put("QREMOTE_JAVA_OPTIONS", "-Xss1m -version");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).containsExactly("problem: java: QREMOTE_JAVA_OPTIONS=-Xss1m -version holds -version,"
                + " with which the JVM runs no delivery (it prints or dumps something and exits): the launcher refuses"
                + " it, exits 111 and every delivery is deferred with \"Unable to run qmail-remote.\"");
    }

    /** The options the probe calls refused are the launcher's. */
    @Test
    void theProbeRefusesWhatTheLauncherRefuses() throws IOException {
        String launcher = Files.readString(Path.of("../bin/qmail-remote"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^    (-version\\|.*)\\) exit 111 ;;$").matcher(launcher);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1).replace("\\?", "?")).isEqualTo(String.join("|", JavaProbe.REFUSED_OPTIONS));
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

    /** A QREMOTE_DNS that cannot be used is named with the variable; a second colon is no port (fresh7 L8). */
    @Test
    void aBadQremoteDnsNamesTheVariable() throws IOException {
        control("me", "sender.test\n");
        env.put("QREMOTE_DNS", "127.0.0.1:99999");
        assertThat(check()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("qmail-remote-check: QREMOTE_DNS: not a port number:"
                + " 99999\n");
        err.reset();
        env.put("QREMOTE_DNS", "127.0.0.1:5399:1");
        assertThat(check()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("qmail-remote-check: QREMOTE_DNS must be ADDRESS:PORT"
                + " (an IPv6 address in brackets): 127.0.0.1:5399:1\n");
    }

    /**
     * fresh9 M5: mtasts and tlsrequired values a delivery refuses (every delivery deferred) were "no problems";
     * and with MTA-STS off, a bad mtastscache name no longer stops deliveries, so it is none.
     */
    @Test
    void mtaStsAndTlsRequiredValuesThatDeferEveryDeliveryAreNamed() throws IOException {
        control("me", "sender.test\n");
        control("mtasts", "yes\n");
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("control/mtasts line 1: 'yes' is not on or off"));
        control("mtasts", "off\n");
        control("tlsrequired", "maybe\n");
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("control/tlsrequired line 1: 'maybe' is not"));
        control("tlsrequired", "honour\n");
        control("mtastscache", "c\0\n");
        out.reset();
        assertThat(check()).as("MTA-STS off: its cache is not read").isZero();
        control("mtasts", "on\n");
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("control/mtastscache line 1"));
        control("mtasts", "off\n");
        control("tlsrptspool", "a\0b\n");
        out.reset();
        assertThat(check()).isEqualTo(1);
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("control/tlsrptspool line 1: the name has a NUL"));
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

    private List<String> problems() {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("problem:")).toList();
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
