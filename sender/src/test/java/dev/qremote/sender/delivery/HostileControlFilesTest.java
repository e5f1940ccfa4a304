package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.Transcript;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.report.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every control file the sender reads, filled with content that cannot be meant: whatever it holds, the
 * delivery ends in a report that is not the unexpected-failure one, no SMTP command carries CR, LF or NUL
 * from it, no session waits out a timeout (a 100 KB EHLO name did), and the report stays within its bound.
 */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class HostileControlFilesTest {
    private static final String LONG = "x".repeat(100_000);
    private static final TestCertificates CA = TestCertificates.create(dev.qremote.fakemx.tls.KeyKind.RSA);
    private static final List<String> VALUES = List.of("garbage", "a\rb", "a\0b", "a b", "\u00ff\u00e9", "", ":",
            "|", ";", "[", "[::1", "%", "999.1.1.1", "127.0.0.1%nosuchif", LONG, "99999999999999999999",
            "relay\r\nRSET", "[127.0.0.1];{port}|us\0er|pw", "[127.0.0.1];{port}|user|",
            "[127.0.0.1];{port}|user|\u00e9", "[127.0.0.1];{port}|u|oauth2:/", "[127.0.0.1];s|u|p",
            "[127.0.0.1]:{port}:us\rer:pw", "127.0.0.1|evil\rRSET", "127.0.0.1|" + LONG, "[" + LONG + "]",
            "{ca}", "{ca}|x|y");
    /** Values that matter to the TLS files: each case there costs a handshake. */
    private static final List<String> TLS_VALUES = List.of("garbage", "a\0b", "\u00ff\u00e9", "", ":", "|", ";",
            "%", LONG, "=zz", "/nonexistent/", "{ca}", "{ca}|x|y", "{ca}|{ca}|pw", "|a\rb|99999999999");
    /** Each keyed file with a key that applies to this delivery. */
    private static final List<String> KEYED = List.of("smtproutes:example.test", "authsenders:@sender.test",
            "qmtproutes:", "domainips:*", "tlsdestinations:*", "domaincerts:*");
    private static final List<String> PLAIN = List.of("me", "helohost");
    /** Files read as a number or a word: fewer shapes matter. */
    private static final List<String> WORDS = List.of("timeoutconnect", "timeoutremote", "timeoutdns",
            "chunksizeremote", "authplaintext", "dnssec", "trustanchors");
    private static final List<String> WORD_VALUES = List.of("garbage", "a\rb", "a\0b", "\u00ff\u00e9", "", "0",
            "-1", "2147483647", "99999999999999999999", LONG, ". IN DS 1 8 2 AA\n$INCLUDE /etc/passwd");
    private static final List<String> TLS_FILES = List.of("tlsclientciphers", "clientcert.pem",
            "tlshosts/mx1.example.test.pem", "notlshosts/mx1.example.test");

    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private SmtpServer mx;
    private FakeDnsServer dns;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws IOException {
        this.mx = mx;
        this.dns = dns;
        Files.createDirectories(home.resolve("control/tlshosts"));
        Files.createDirectories(home.resolve("control/notlshosts"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/timeoutremote"), "10\n"); // a wedged session shows in seconds
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
        mx.script(SmtpScript.builder().starttls(CA.leaf("mx1.example.test")).user("user", "pass").build());
        Files.writeString(home.resolve("ca.pem"), dev.qremote.fakemx.tls.Pem.certificate(CA.root()));
    }

    static Stream<Arguments> files() {
        List<Arguments> cases = new ArrayList<>();
        for (String file : PLAIN) {
            for (String value : VALUES) {
                cases.add(Arguments.of(file, value));
            }
        }
        for (String file : WORDS) {
            for (String value : WORD_VALUES) {
                cases.add(Arguments.of(file, value));
            }
        }
        for (String file : TLS_FILES) {
            for (String value : TLS_VALUES) {
                cases.add(Arguments.of(file, value));
            }
        }
        for (String keyed : KEYED) {
            String file = keyed.substring(0, keyed.indexOf(':'));
            for (String value : file.startsWith("tls") || file.startsWith("domaincerts") ? TLS_VALUES : VALUES) {
                cases.add(Arguments.of(file, keyed.substring(file.length() + 1) + ":" + value));
            }
        }
        for (String prefix : List.of("-*", "+*", "~*", "=*", "/*", "?", "!", "%", "=", "~", "-", "/", "*")) {
            for (String value : List.of("garbage", "=zz", "/nonexistent/", "{ca}|x|99999999999;s0")) {
                cases.add(Arguments.of("tlsdestinations", prefix + (prefix.length() == 1 ? "example.test" : "")
                        + ":" + value));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void noContentIsAnUnexpectedFailureOrReachesACommand(String file, String content) throws Exception {
        if (!file.startsWith("tls") && !file.startsWith("domaincerts") && !file.startsWith("clientcert")) {
            mx.script(SmtpScript.builder().user("user", "pass").build()); // no handshake where TLS is not the point
        }
        Files.writeString(home.resolve("control").resolve(file),
                content.replace("{port}", Integer.toString(context.port)).replace("{ca}", home.resolve("ca.pem").toString()) + "\n", StandardCharsets.ISO_8859_1);
        long start = System.nanoTime();
        String reports = text(new DeliveryEngine(context).deliver(TestRequests.of(List.of("example.test", "a@sender.test",
                "b@example.test"), new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)))));
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(System.nanoTime() - start).as(file + " holding " + printable(content) + ": no wait")
                .isLessThan(Duration.ofSeconds(8).toNanos());
        assertThat(reports).as(file + " holding " + printable(content)).doesNotContain("failed unexpectedly");
        assertThat(reports.length()).as("report length").isLessThanOrEqualTo(dev.qremote.sender.report.Reports.MAX_REPORT);
        for (Transcript transcript : mx.transcripts()) {
            String said = new String(transcript.sentBy(Transcript.Direction.CLIENT), StandardCharsets.ISO_8859_1);
            if (!said.startsWith("EHLO ") && !said.startsWith("HELO ")) {
                continue; // QMTP to the SMTP port, or TLS from the first byte: no commands to judge
            }
            int data = said.indexOf("DATA\r\n");
            String commands = data < 0 ? said : said.substring(0, data);
            assertThat(commands.replace("\r\n", "")).as(file + " holding " + printable(content))
                    .doesNotContain("\r", "\n", "\0", "RSET");
        }
    }

    @org.junit.jupiter.api.Test
    void aRelayOrMxNameSniCannotCarryStillGetsTlsWithoutSni() throws Exception {
        mx.script(SmtpScript.builder().starttls(CA.leaf("mx1.example.test")).build());
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx_1.example").a("mx_1.example", "127.0.0.1")
                .a("relay", "127.0.0.1"));
        for (String route : List.of("", "example.test:relay.test.:" + context.port + "\n")) {
            Files.writeString(home.resolve("control/smtproutes"), route);
            String reports = text(new DeliveryEngine(context).deliver(TestRequests.of(List.of("example.test", "a@sender.test",
                    "b@example.test"), new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)))));
            assertThat(reports).as(route).startsWith("r\0K127.0.0.1 TLS transmitted message accepted.");
        }
    }

    private static String printable(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return shown.replace("\r", "\\r").replace("\0", "\\0");
    }

    private static String text(DeliveryResult result) {
        return result.recipientReports().stream().map(HostileControlFilesTest::text).collect(Collectors.joining())
                + text(result.messageReport());
    }

    private static String text(Report report) {
        return new String(report.bytes(), StandardCharsets.ISO_8859_1);
    }
}
