package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsjavaResolver;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.routing.Route;
import dev.qremote.sender.tls.TlsDestinations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk over two mail exchangers, 127.0.0.1 (fake-mx "first") and 127.0.0.2 (fake-mx "second"), both in
 * this JVM: which failures move on to the next address, which are final, and the plaintext retry after a
 * failed STARTTLS. The connector sends each address to its own server's port (no fixed ports).
 */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class MxWalkTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.RSA);
    private static final String OK = "250 2.0.0 ok 5 bytes";

    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private SmtpServer first;
    private SmtpServer second;
    private InetAddress one;
    private InetAddress two;
    private final Map<InetAddress, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        one = InetAddress.getByName("127.0.0.1");
        two = InetAddress.getByName("127.0.0.2");
        first = mx;
        second = SmtpServer.start(two, 0, SmtpScript.polite());
        context.home = home;
        context.dns = dns.address();
        ports.put(one, first.address().getPort());
        ports.put(two, second.address().getPort());
        context.connector = (target, local, timeout) -> Connector.plain()
                .connect(new InetSocketAddress(target.getAddress(), ports.get(target.getAddress())), local, timeout);
    }

    @AfterEach
    void tearDown() {
        second.close();
    }

    @Test
    void aDropBeforeMailMovesToTheNextAddress() throws Exception {
        first.script(SmtpScript.builder().on("MAIL", new Action.Close()).build());
        assertThat(deliver()).isEqualTo("r\0K127.0.0.2 accepted message.\nRemote host said: " + OK + "\n\0");
        assertThat(first.messages()).isEmpty();
        assertThat(second.messages()).hasSize(1);
    }

    @Test
    void aRefusingGreetingMovesToTheNextAddress() throws Exception {
        first.script(SmtpScript.builder().greeting(554, "5.3.2 not now").build());
        assertThat(deliver()).isEqualTo("r\0K127.0.0.2 accepted message.\nRemote host said: " + OK + "\n\0");
    }

    @Test
    void aRefusalOnceMailIsAcceptedIsFinal() throws Exception {
        first.script(SmtpScript.builder().on("RCPT", Action.reply(451, "4.7.1 greylisted")).build());
        assertThat(deliver()).isEqualTo("s127.0.0.1 does not like recipient.\nRemote host said: 451 4.7.1 greylisted\n\0"
                + "DGiving up on 127.0.0.1.\n\0");
        assertThat(second.connections()).isZero();
    }

    @Test
    void aFourxxToMailIsFinalToo() throws Exception {
        first.script(SmtpScript.builder().on("MAIL", Action.reply(451, "4.3.0 try later")).build());
        assertThat(deliver()).isEqualTo(
                "ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 451 4.3.0 try later\n\0");
        assertThat(second.connections()).isZero();
    }

    @Test
    void whenEveryAddressFailsTheLastFailureIsTheReport() throws Exception {
        first.script(SmtpScript.builder().greeting(554, "first says no").build());
        second.script(SmtpScript.builder().greeting(421, "second says later").build());
        assertThat(deliver()).isEqualTo(
                "ZConnected to 127.0.0.2 but greeting failed.\nRemote host said: 421 second says later\n\0");
    }

    @Test
    void aRefusedConnectionMovesOnAndNoConnectionAtAllIsZ() throws Exception {
        ports.put(one, closedPort());
        assertThat(deliver()).isEqualTo("r\0K127.0.0.2 accepted message.\nRemote host said: " + OK + "\n\0");
        ports.put(two, closedPort());
        assertThat(deliver()).isEqualTo("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0");
    }

    @Test
    void aFailedStartTlsIsRetriedInPlaintextOnANewConnection() throws Exception {
        first.script(SmtpScript.builder().starttls(CA.leaf("mx1.example.test"))
                .on("TLS-HANDSHAKE", new Action.Close()).build());
        assertThat(deliver()).isEqualTo("r\0K127.0.0.1 accepted message.\nRemote host said: " + OK + "\n"
                + "STARTTLS failed, so the message went without TLS (RFC 7435).\n\0");
        assertThat(first.connections()).isEqualTo(2);
        assertThat(first.transcripts().get(1).render()).doesNotContain("C: STARTTLS");
        assertThat(second.connections()).isZero();
    }

    @Test
    void withTlsFallbackDeferAFailedStartTlsMovesToTheNextAddress() throws Exception {
        Files.writeString(home.resolve("control/tlsfallback"), "defer\n");
        first.script(SmtpScript.builder().starttls(CA.leaf("mx1.example.test"))
                .on("TLS-HANDSHAKE", new Action.Close()).build());
        assertThat(deliver()).isEqualTo("r\0K127.0.0.2 accepted message.\nRemote host said: " + OK + "\n\0");
        assertThat(first.connections()).isEqualTo(1);
    }

    @Test
    void noConnectionIsBegunOnceTheDeadlineHasPassed() throws Exception {
        Files.writeString(home.resolve("control/timeoutdelivery"), "30\n");
        assertThat(deliver(Deadline.after(Clock.systemUTC(), Duration.ZERO))).isEqualTo(
                "ZSorry, the delivery ran out of time (control/timeoutdelivery, 30 seconds) before a mail exchanger"
                        + " took it. (#4.4.7)\n\0");
        assertThat(first.connections() + second.connections()).isZero();
    }

    /** A port nothing listens on: bound, then closed (no accept was waiting, so it is closed at once). */
    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private String deliver() throws Exception {
        return deliver(Deadline.after(Clock.systemUTC(), Duration.ofSeconds(60)));
    }

    private String deliver(Deadline deadline) throws Exception {
        ControlSnapshot control = ControlSnapshot.read(home);
        Controls controls = control.controls().get();
        TlsPlanner planner = new TlsPlanner(TlsDestinations.none(), control,
                DnsjavaResolver.at(context.dns, Duration.ofSeconds(2)), DnssecMode.OFF, "example.test",
                "a@sender.test", Optional.empty(), controls.tlsFallback());
        List<Destination> candidates = List.of(new Destination(10, "mx1.example.test", one, false),
                new Destination(20, "mx2.example.test", two, false));
        try (MessageSource message = MessageSource.kept(
                new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)), home)) {
            DeliveryResult result = new MxWalk(context, controls, control, planner, deadline).deliver(candidates,
                    new Route.MailExchangers("example.test", 25), "a@sender.test",
                    Envelope.of("a@sender.test", List.of("b@example.test")).orElseThrow(), message);
            return Printed.of(result);
        }
    }
}
