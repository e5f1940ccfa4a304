package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.Controls;
import com.code_intelligence.jazzer.api.SilentCloseable;
import dev.qremote.sender.fuzz.FuzzedRandom;
import dev.qremote.sender.fuzz.Loopback;
import dev.qremote.sender.fuzz.SeededRun;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.routing.DomainIps;
import dev.qremote.sender.routing.RouteException;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsDestinations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target "control": random and mutated lines (CR, NUL, 8-bit bytes, field separators, huge lines) in
 * every control file a delivery reads, and odd arguments. Through DeliveryEngine (all connections go to a
 * well-behaved {@link ScriptedPeer} on loopback): never the unexpected-failure report, reports well formed,
 * and no CR, LF or NUL inside a command line the peer receives (trustanchors and dnssec are checked this way:
 * the resolver takes them as the engine hands them over). Directly: Controls.read, the routers, the
 * tlsdestinations parser, domainips and domaincerts give a value or their typed exception, never another.
 */
@Tag("fuzz")
class ControlFilesFuzzTest {
    private static final Map<String, String[]> TEMPLATES = Map.ofEntries(
            Map.entry("smtproutes", new String[] {"example.test:[127.0.0.1]", ":[127.0.0.1]:25", ".test:mx1.example.test",
                "example.test:[127.0.0.1];25|alice|s3cret", "example.test:relay.test:2525:user:secret", "!@:[127.0.0.1]",
                "example.test:[::1]", "example.test:", "example.test:[127.0.0.1]||127.0.0.1", "example.test:[127.0.0.1];s"}),
            Map.entry("authsenders", new String[] {"a@sender.test:[127.0.0.1];25|alice|s3cret",
                "@sender.test:[127.0.0.1]|u|p", ":[127.0.0.1];s465|u|p|127.0.0.1", ".test:[127.0.0.1]|u|oauth2:token"}),
            Map.entry("qmtproutes", new String[] {"example.test:[127.0.0.1];209", ":[127.0.0.1]", "example.test:"}),
            Map.entry("domainips", new String[] {"sender.test:127.0.0.1|helo.test", "*:127.0.0.1",
                "sender.test:127.0.0.1%lo", "sender.test:|name.test"}),
            Map.entry("tlsdestinations", new String[] {"*:", "-*:", "example.test:", "%example.test:=AB:CD:EF",
                "!example.test:", "=mx1.example.test:ca.pem|TLS_AES_128_GCM_SHA256|2;s465|sender.test", "?:",
                "/example.test:", "~*:", "+*:", "example.test:;25"}),
            Map.entry("domaincerts", new String[] {"sender.test:cert.pem|key.pem|pw", "*:control/client.pem"}),
            Map.entry("dnssec", new String[] {"validate", "ad", "off", "VALIDATE"}),
            Map.entry("trustanchors", new String[] {
                ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
                ". 3600 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3", "; comment"}),
            Map.entry("timeoutconnect", new String[] {"1", "0", "60"}),
            Map.entry("timeoutremote", new String[] {"1", "0", "2"}),
            Map.entry("timeoutdns", new String[] {"1", "0", "5"}),
            Map.entry("chunksizeremote", new String[] {"0", "7", "32768", "99999999999"}),
            Map.entry("helohost", new String[] {"sender.test", "h.test"}),
            Map.entry("me", new String[] {"sender.test"}),
            Map.entry("authplaintext", new String[] {"[127.0.0.1]", "*"}),
            Map.entry("tlsclientciphers", new String[] {"TLS_AES_128_GCM_SHA256", "HIGH:!aNULL"}),
            Map.entry("tlsfallback", new String[] {"defer", "retry"}));
    private static final String SPECIAL = ":|;[]%=*!?/~+-@.# \t\r\n\0";
    private static final String[] SENDERS = {"a@sender.test", "", "x@other.test", "a@sender.test\r\nRSET", "a\0@b",
        "\u00e4@sender.test", "@", "a@[127.0.0.1]"};

    @FuzzTest(maxDuration = "10m")
    void control(FuzzedDataProvider data) throws Exception {
        check(new FuzzedRandom(data));
    }

    @Test
    void seededPass() {
        SeededRun.run("control", ControlFilesFuzzTest::check, 4_000_000L, 150);
    }

    static void check(RandomGenerator random) throws Exception {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        List<String> names = new ArrayList<>(TEMPLATES.keySet());
        names.sort(null);
        // -Dfuzz.control.skip=a,b leaves those files out, to look past a known finding
        names.removeAll(List.of(System.getProperty("fuzz.control.skip", "").split(",")));
        for (String name : names) {
            if (name.equals("me") || random.nextInt(3) == 0) {
                files.put(name, file(random, TEMPLATES.get(name)));
            }
        }
        String sender = SENDERS[random.nextInt(SENDERS.length)];
        String recipient = random.nextInt(8) == 0 ? "b@example.test\r\nRSET" : "b@example.test";
        check(files, sender, recipient);
    }

    /** One delivery with these control files (name to content) and arguments, and the parsers one by one. */
    static void check(Map<String, byte[]> files, String sender, String recipient) throws Exception {
        Path home = Files.createTempDirectory("control-fuzz");
        try (SilentCloseable permit = Loopback.only()) {
            StringBuilder input = new StringBuilder();
            Files.createDirectories(home.resolve("control"));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(home.resolve("control").resolve(file.getKey()), file.getValue());
                input.append(file.getKey()).append(": ").append(escape(file.getValue())).append('\n');
            }
            input.append("sender ").append(escape(sender.getBytes(StandardCharsets.ISO_8859_1)))
                    .append(", recipient ").append(escape(recipient.getBytes(StandardCharsets.ISO_8859_1)));
            direct(home, sender, input.toString());
            throughTheEngine(home, sender, recipient, input.toString());
        } finally {
            SmtpPeerFuzzTest.delete(home);
        }
    }

    /**
     * The parsers called one by one: a value or the typed exception of each. Anything else is thrown as it
     * is (with the input attached), so that the fuzzer tells findings apart by where they were thrown.
     */
    private static void direct(Path home, String sender, String input) throws Exception {
        try {
            ControlDirectory dir = new ControlDirectory(home);
            Controls controls = Controls.read(dir);
            SmtpRouter.route("example.test", sender, controls.smtpRoutes(), controls.authSenders(),
                    controls.qmtpRoutes(), 25);
            DomainIps.forSender(sender, controls.domainIps());
            TlsDestinations.parse(controls.tlsDestinations());
            TlsPlanner.clientCertificate(dev.qremote.sender.settings.ControlSnapshot.read(home), sender);
        } catch (ControlFileException | RouteException | TlsConfigException expected) {
            // a typed refusal is a fine answer
        } catch (RuntimeException e) {
            e.addSuppressed(new AssertionError("an untyped exception from a parser, on " + input));
            throw e;
        }
    }

    private static void throughTheEngine(Path home, String sender, String recipient, String input) throws Exception {
        DeliveryResult result;
        List<String> commands;
        String log;
        try (ScriptedPeer peer = new ScriptedPeer(List.of(), true, true)) {
            synchronized (SmtpPeerFuzzTest.class) {
                TestContext c = SmtpPeerFuzzTest.context();
                c.home = home;
                c.port = peer.port();
                c.dnssecAsConfigured = true;
                c.connector = (target, local, timeout) -> {
                    if (!target.getAddress().isLoopbackAddress()) {
                        throw new ConnectException("the fuzz bench connects to loopback only");
                    }
                    Socket socket = new Socket();
                    if (local.isPresent()) {
                        if (!local.get().isLoopbackAddress()) {
                            socket.close();
                            throw new Connector.BindException(local.get().getHostAddress(), null);
                        }
                        socket.bind(new InetSocketAddress(local.get(), 0));
                    }
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.port()), 5000);
                    return socket;
                };
                try {
                    result = new DeliveryEngine(c).deliver(TestRequests.of(List.of("example.test", sender, recipient), new ByteArrayInputStream((ScriptedPeer.MARKER + "\nhello\n").getBytes(StandardCharsets.ISO_8859_1))));
                } finally {
                    c.dnssecAsConfigured = false;
                    c.connector = Connector.plain();
                }
            }
            peer.close();
            commands = peer.commands();
            log = peer.log();
        }
        String what = input + "\nreports: " + SmtpPeerFuzzTest.render(result).replace("\0", "\\0").replace("\n", "\\n")
                + "\npeer log:\n" + log;
        Report message = result.messageReport();
        assertThat(message.text()).as(what).doesNotStartWith("Sorry, qmail-remote failed unexpectedly");
        assertThat(message.letter()).as(what).isIn('K', 'Z', 'D');
        assertThat(result.recipientReports()).as(what).hasSizeLessThanOrEqualTo(1).allMatch(Report::isRecipientReport);
        for (String command : commands) {
            String body = command.endsWith("\r\n") ? command.substring(0, command.length() - 2) : command;
            assertThat(command).as(what + "\na command not ended by CRLF").endsWith("\r\n");
            assertThat(body).as(what + "\nCR, LF or NUL inside a command").doesNotContain("\r", "\n", "\0");
        }
    }

    /** A few lines: templates, mutated templates, random bytes; sometimes one huge line. */
    private static byte[] file(RandomGenerator random, String[] templates) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            String template = templates[random.nextInt(templates.length)];
            StringBuilder line = new StringBuilder(template);
            int k = random.nextInt(6);
            if (k == 0) {
                line.setLength(0);
                for (int j = 0, m = random.nextInt(40); j < m; j++) {
                    line.append((char) random.nextInt(256));
                }
            } else if (k == 1 || k == 2) {
                for (int j = 0, m = 1 + random.nextInt(4); j < m; j++) {
                    int at = random.nextInt(line.length() + 1);
                    char c = random.nextBoolean() ? SPECIAL.charAt(random.nextInt(SPECIAL.length()))
                            : (char) random.nextInt(256);
                    if (random.nextBoolean() && at < line.length()) {
                        line.setCharAt(at, c);
                    } else {
                        line.insert(at, c);
                    }
                }
            } else if (k == 3 && random.nextInt(10) == 0) {
                line.append("x".repeat(100_000));
            }
            out.writeBytes(line.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(random.nextInt(10) == 0 ? '\r' : '\n');
        }
        return out.toByteArray();
    }

    private static String escape(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (s.length() > 400) {
                return s + "...(" + bytes.length + " bytes)";
            }
            s.append(c >= 32 && c < 127 && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }
}
