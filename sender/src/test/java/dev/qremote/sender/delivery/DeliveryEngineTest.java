package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.sender.report.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The engine as a library: real fake DNS, real fake MX, reports as values. */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class DeliveryEngineTest {
    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private FakeDnsServer dns;
    private SmtpServer mx;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws IOException {
        this.dns = dns;
        this.mx = mx;
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
    }

    @Test
    void deliversAndReportsAsValues() throws Exception {
        DeliveryResult result = deliver("example.test", "a@sender.test", "b@example.test");
        assertThat(text(result)).isEqualTo("r\0K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 8 bytes\n\0");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.dataText()).isEqualTo("Hi.\r\n.\r\n"));
    }

    @Test
    void anUnforeseenFailureIsATemporaryFailure() throws Exception {
        context.connector = (target, local, timeout) -> {
            throw new IllegalStateException("a bug");
        };
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test")))
                .isEqualTo("ZSorry, qmail-remote failed unexpectedly (IllegalStateException). (#4.3.0)\n\0");
    }

    @Test
    void notKnowingOurOwnAddressesIsATemporaryFailure() throws Exception {
        context.localAddressFailure = new IOException("no interfaces");
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test")))
                .isEqualTo("ZSystem resources temporarily unavailable. (#4.3.0)\n\0");
    }

    @Test
    void ourOwnAddressAsBestMxIsTheLoopCheck() throws Exception {
        context.mine = Set.of(InetAddress.getByName("127.0.0.1"));
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test"))).startsWith("DSorry. Although");
        assertThat(mx.connections()).isZero();
    }

    /**
     * A cipher list for an address literal (tlsdestinations "[ip]:|ciphers") is the policy of a delivery to
     * that literal, as a domain's is: names the JDK does not know defer it, and nothing goes in the clear or
     * with the JDK's default suites.
     */
    @Test
    void unusableCiphersForAnAddressLiteralDefer() throws Exception {
        Files.writeString(home.resolve("control/tlsdestinations"), "[127.0.0.1]:|NOPE_CIPHER\n");
        mx.script(dev.qremote.fakemx.SmtpScript.polite().toBuilder().starttls(
                dev.qremote.fakemx.tls.TestCertificates.create(dev.qremote.fakemx.tls.KeyKind.RSA).leaf("mx.test"))
                .build());
        assertThat(text(deliver("[127.0.0.1]", "a@sender.test", "b@example.test")))
                .isEqualTo("ZI wasn't able to process the TLS ciphers: NOPE_CIPHER. (#4.3.0)\n\0");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).isEmpty();
    }

    /** A cancel ends a delivery waiting on a silent server now, not at timeoutremote, and defers it. */
    @Test
    void aCancelledDeliveryEndsAtOnceAndDefers() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "60\n");
        mx.script(dev.qremote.fakemx.SmtpScript.builder().on("MAIL",
                new dev.qremote.fakemx.Action.Delay(Duration.ofSeconds(30), new dev.qremote.fakemx.Action.Standard()))
                .build());
        assertThat(text(deliverCancelledWhen(after(Duration.ofMillis(500))))).isEqualTo(
                "ZSorry, the delivery was cancelled before a mail exchanger took the message. (#4.3.0)\n\0");
    }

    /** A DNS question that is never answered does not hold a cancelled delivery for timeoutdns. */
    @Test
    void aCancelEndsAWaitForDns() throws Exception {
        Files.writeString(home.resolve("control/timeoutdns"), "30\n");
        dns.fault("example.test.", org.xbill.DNS.Type.MX, dev.qremote.fakedns.Fault.DROP);
        assertThat(text(deliverCancelledWhen(after(Duration.ofMillis(500)))))
                .startsWith("ZSorry, the delivery was cancelled");
    }

    /**
     * After the final dot the server may have the message: a cancel then keeps "Possible duplicate!", or the
     * K when the server's 250 still came (fake-mx answers at once when it sees our close), but is never the
     * plain "cancelled" Z, which would have the message sent again as if nothing had happened.
     */
    @Test
    void aDeliveryCancelledAfterTheDotIsNeverAPlainCancel() throws Exception {
        Files.writeString(home.resolve("control/timeoutremote"), "60\n");
        mx.script(dev.qremote.fakemx.SmtpScript.builder().on("MESSAGE",
                new dev.qremote.fakemx.Action.Delay(Duration.ofSeconds(30), new dev.qremote.fakemx.Action.Standard()))
                .build());
        // once the whole message is there and the server stays silent
        assertThat(text(deliverCancelledWhen(() -> !mx.messages().isEmpty()))).isIn(
                "r\0ZConnected to 127.0.0.1 but connection died. Possible duplicate! (#4.4.2)\n\0",
                "r\0K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 5 bytes\n\0");
    }

    private static java.util.function.BooleanSupplier after(Duration wait) {
        long due = System.nanoTime() + wait.toNanos();
        return () -> System.nanoTime() - due >= 0;
    }

    /**
     * Delivers "Hi." to b@example.test, cancelling from another thread once {@code due} holds; the
     * delivery must end well before any timeout in play would have ended it.
     */
    private DeliveryResult deliverCancelledWhen(java.util.function.BooleanSupplier due) throws InterruptedException {
        DeliveryRequest request = TestRequests.of(List.of("example.test", "a@sender.test", "b@example.test"),
                new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)));
        Thread canceller = new Thread(() -> {
            try {
                while (!due.getAsBoolean()) {
                    Thread.sleep(2);
                }
                request.cancellation().cancel();
            } catch (InterruptedException e) {
                // the delivery ended first
            }
        });
        canceller.start();
        long start = System.nanoTime();
        DeliveryResult result = new DeliveryEngine(context).deliver(request);
        canceller.interrupt();
        canceller.join();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        return result;
    }

    private DeliveryResult deliver(String... args) {
        return new DeliveryEngine(context).deliver(TestRequests.of(List.of(args), new ByteArrayInputStream("Hi.\n.\n".getBytes(StandardCharsets.ISO_8859_1))));
    }

    private static String text(DeliveryResult result) {
        return result.recipientReports().stream().map(DeliveryEngineTest::text).collect(Collectors.joining())
                + text(result.messageReport());
    }

    private static String text(Report report) {
        return new String(report.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void credentialsNeverGoInClearToAnotherHost() throws Exception {
        mx.script(dev.qremote.fakemx.SmtpScript.builder().user("alice", "s3cret").build());
        Files.writeString(home.resolve("control/smtproutes"), "example.test:[127.0.0.1];" + context.port + "|alice|s3cret\n");
        context.loopbackMayReceiveCredentialsInClear = false; // as if the relay were another machine
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test"))).isEqualTo(
                "ZConnected to 127.0.0.1 but no TLS to send credentials over: they never go in clear to another host."
                        + " (#5.7.11)\n\0");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.transcripts().get(0).render()).doesNotContain("C: AUTH");

        Files.writeString(home.resolve("control/authplaintext"), "[127.0.0.1]\n");
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test"))).startsWith("r\0K127.0.0.1 accepted");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.authenticatedUser()).isEqualTo("alice"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"})
    void anEmptyPasswordIsAPasswordForEveryMechanism(String mechanism) throws Exception {
        mx.script(dev.qremote.fakemx.SmtpScript.builder().user("alice", "").authMechanisms(mechanism).build());
        Files.writeString(home.resolve("control/smtproutes"), "example.test:[127.0.0.1];" + context.port + "|alice|\n");
        assertThat(text(deliver("example.test", "a@sender.test", "b@example.test"))).startsWith("r\0K127.0.0.1 accepted");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.authenticatedUser()).isEqualTo("alice"));
    }
}
