package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.transport.smtp.SmtpConnection;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SMTP session against a scripted fake-mx in this JVM, over loopback: what each reply means, as the
 * attempt the walk gets (decided reports, or "next address" with the report it leaves, or a plaintext retry).
 */
@ExtendWith(FakeMxExtension.class)
class SmtpSessionTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.RSA);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-session-test-timer");
        t.setDaemon(true);
        return t;
    });
    private static final String OK = "250 2.0.0 ok 5 bytes";

    @TempDir
    Path tmp;
    private SmtpServer mx;

    @BeforeEach
    void setUp(SmtpServer mx) {
        this.mx = mx;
    }

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    @Test
    void aTwoFiftyAfterTheDotIsK() throws Exception {
        assertThat(Printed.of(run(SmtpScript.polite(), opportunistic(true), "b@example.test")))
                .isEqualTo("r\0K127.0.0.1 accepted message.\nRemote host said: " + OK + "\n\0");
        assertThat(mx.repliesAfterMessage()).containsExactly(OK);
    }

    @Test
    void aFourxxToMailIsZWithTheServersText() throws Exception {
        SmtpScript script = SmtpScript.builder().on("MAIL", Action.reply(451, "4.3.0 try later")).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test"))).isEqualTo(
                "ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 451 4.3.0 try later\n\0");
        assertThat(mx.messages()).isEmpty();
    }

    @Test
    void aFivexxToMailIsD() throws Exception {
        SmtpScript script = SmtpScript.builder().on("MAIL", Action.reply(553, "5.1.8 bad sender")).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test"))).isEqualTo(
                "DConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 553 5.1.8 bad sender\n\0");
    }

    @Test
    void a421ToMailLetsTheWalkTryTheNextAddress() throws Exception {
        SmtpScript script = SmtpScript.builder()
                .on("MAIL", new Action.ThenClose(Action.reply(421, "4.3.2 shutting down"))).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test"))).isEqualTo(
                "next: ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 421 4.3.2 shutting down\n\0");
    }

    @Test
    void aFivexxToRcptIsHAndAFourxxIsS() throws Exception {
        SmtpScript script = SmtpScript.builder()
                .onNth("RCPT", 1, Action.reply(550, "5.1.1 no such user"))
                .onNth("RCPT", 2, Action.reply(450, "4.2.1 mailbox busy"))
                .build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test", "c@example.test", "d@example.test")))
                .isEqualTo("h127.0.0.1 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0"
                        + "s127.0.0.1 does not like recipient.\nRemote host said: 450 4.2.1 mailbox busy\n\0"
                        + "r\0"
                        + "K127.0.0.1 accepted message.\nRemote host said: " + OK + "\n\0");
        assertThat(mx.messages()).singleElement()
                .satisfies(m -> assertThat(m.rcptTo()).containsExactly("d@example.test"));
    }

    @Test
    void noRecipientAcceptedGivesUpOnTheHost() throws Exception {
        SmtpScript script = SmtpScript.builder().on("RCPT", Action.reply(550, "5.1.1 no such user")).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("h127.0.0.1 does not like recipient.\nRemote host said: 550 5.1.1 no such user\n\0"
                        + "DGiving up on 127.0.0.1.\n\0");
    }

    @Test
    void aRefusedDataIsZOrDByItsCode() throws Exception {
        SmtpScript temporary = SmtpScript.builder().on("DATA", Action.reply(451, "4.3.0 later")).build();
        assertThat(Printed.of(run(temporary, opportunistic(true), "b@example.test")))
                .isEqualTo("r\0Z127.0.0.1 failed on DATA command.\nRemote host said: 451 4.3.0 later\n\0");
        SmtpScript permanent = SmtpScript.builder().on("DATA", Action.reply(554, "5.3.0 never")).build();
        assertThat(Printed.of(run(permanent, opportunistic(true), "b@example.test")))
                .isEqualTo("r\0D127.0.0.1 failed on DATA command.\nRemote host said: 554 5.3.0 never\n\0");
    }

    @Test
    void aRefusalAfterTheDotIsZOrDByItsCode() throws Exception {
        SmtpScript temporary = SmtpScript.builder().afterMessage(Action.reply(452, "4.3.1 disk full")).build();
        assertThat(Printed.of(run(temporary, opportunistic(true), "b@example.test"))).isEqualTo(
                "r\0Z127.0.0.1 failed after I sent the message.\nRemote host said: 452 4.3.1 disk full\n\0");
        SmtpScript permanent = SmtpScript.builder().afterMessage(Action.reply(554, "5.7.1 spam")).build();
        assertThat(Printed.of(run(permanent, opportunistic(true), "b@example.test"))).isEqualTo(
                "r\0D127.0.0.1 failed after I sent the message.\nRemote host said: 554 5.7.1 spam\n\0");
    }

    @Test
    void aDropAfterTheDotIsAPossibleDuplicate() throws Exception {
        SmtpScript script = SmtpScript.builder().afterMessage(new Action.Close()).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("r\0ZConnected to 127.0.0.1 but connection died. Possible duplicate! (#4.4.2)\n\0");
    }

    @Test
    void aDropBeforeMailLetsTheWalkTryTheNextAddress() throws Exception {
        SmtpScript script = SmtpScript.builder().on("EHLO", new Action.Close()).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("next: ZConnected to 127.0.0.1 but connection died. (#4.4.2)\n\0");
    }

    @Test
    void aRefusingGreetingLetsTheWalkTryTheNextAddress() throws Exception {
        SmtpScript script = SmtpScript.builder().greeting(554, "5.3.2 not now").build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("next: ZConnected to 127.0.0.1 but greeting failed.\nRemote host said: 554 5.3.2 not now\n\0");
    }

    @Test
    void aSessionOverStartTlsSaysSoInK() throws Exception {
        SmtpScript script = SmtpScript.builder().starttls(CA.leaf("mx.fake.test")).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("r\0K127.0.0.1 TLS transmitted message accepted.\nRemote host said: " + OK + "\n\0");
        assertThat(mx.tlsSessions()).singleElement().isNotNull();
        assertThat(mx.transcripts().get(0).render()).containsSubsequence("C: EHLO", "C: STARTTLS", "C: EHLO", "C: MAIL");
    }

    @Test
    void aFailedStartTlsHandshakeAsksForAPlaintextRetry() throws Exception {
        SmtpScript script = SmtpScript.builder().starttls(CA.leaf("mx.fake.test"))
                .on("TLS-HANDSHAKE", new Action.Close()).build();
        assertThat(run(script, opportunistic(true), "b@example.test")).isInstanceOf(Attempt.RetryWithoutTls.class);
    }

    @Test
    void aFailedHandshakeWithoutFallbackLetsTheWalkTryTheNextAddress() throws Exception {
        SmtpScript script = SmtpScript.builder().starttls(CA.leaf("mx.fake.test"))
                .on("TLS-HANDSHAKE", new Action.Close()).build();
        assertThat(Printed.of(run(script, opportunistic(false), "b@example.test"))).isEqualTo(
                "next: ZI wasn't able to establish a TLS connection with: mx.fake.test for example.test. (#4.7.5)\n\0");
    }

    @Test
    void aRefusedStartTlsGoesOnInPlaintextWhenTlsIsOpportunistic() throws Exception {
        SmtpScript script = SmtpScript.builder().starttls(CA.leaf("mx.fake.test"))
                .on("STARTTLS", Action.reply(454, "4.7.0 TLS not available")).build();
        assertThat(Printed.of(run(script, opportunistic(true), "b@example.test")))
                .isEqualTo("r\0K127.0.0.1 accepted message.\nRemote host said: " + OK + "\n\0");
    }

    @Test
    void noStartTlsWhereTlsIsMandatorySendsNoMail() throws Exception {
        assertThat(Printed.of(run(SmtpScript.polite(), daneWithoutUsableRecords(), "b@example.test"))).isEqualTo(
                "next: ZI wasn't able to negotiate a StartTLS connection with: mx.fake.test for example.test. (#4.7.5)\n\0");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.transcripts().get(0).render()).doesNotContain("C: MAIL");
    }

    @Test
    void credentialsGoInClearOnlyWhereAllowed() throws Exception {
        SmtpScript script = SmtpScript.builder().user("alice", "s3cret").build();
        AuthPlan notInClear = new AuthPlan("alice", "s3cret", false, false);
        assertThat(Printed.of(run(script, opportunistic(true), Optional.of(notInClear), false, "b@example.test")))
                .isEqualTo("next: ZConnected to 127.0.0.1 but no TLS to send credentials over: they never go in clear"
                        + " to another host. (#5.7.11)\n\0");
        assertThat(Printed.of(run(script, opportunistic(true), Optional.of(notInClear), true, "b@example.test")))
                .as("the peer may receive them in clear (this machine)").startsWith("r\0K127.0.0.1 accepted");
        AuthPlan authPlaintext = new AuthPlan("alice", "s3cret", false, true);
        assertThat(Printed.of(run(script, opportunistic(true), Optional.of(authPlaintext), false, "b@example.test")))
                .as("control/authplaintext names the relay").startsWith("r\0K127.0.0.1 accepted");
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).hasSize(2).allSatisfy(m -> assertThat(m.authenticatedUser()).isEqualTo("alice"));
        assertThat(mx.transcripts().get(0).render()).doesNotContain("C: AUTH");
    }

    /** Opportunistic STARTTLS; {@code fallback}: a failed handshake may be followed by plaintext. */
    private static TlsPlan opportunistic(boolean fallback) {
        return new TlsPlan(TlsPolicy.opportunistic(), false, List.of(), false, 25, "mx.fake.test", "example.test",
                Optional.empty(), fallback);
    }

    /** A secure TLSA set with no usable record: TLS is mandatory, any certificate does. */
    private static TlsPlan daneWithoutUsableRecords() {
        return new TlsPlan(TlsPolicy.opportunistic(), true, List.of(), false, 25, "mx.fake.test", "example.test",
                Optional.empty(), true);
    }

    private Attempt run(SmtpScript script, TlsPlan plan, String... recipients) throws Exception {
        return run(script, plan, Optional.empty(), true, recipients);
    }

    private Attempt run(SmtpScript script, TlsPlan plan, Optional<AuthPlan> auth, boolean mayReceiveCredentialsInClear,
            String... recipients) throws Exception {
        mx.script(script);
        Socket socket = Connector.plain().connect(mx.address(), Optional.empty(), Duration.ofSeconds(5));
        SmtpClient client = new SmtpClient(new SmtpConnection(socket, Duration.ofSeconds(5), TIMER));
        DialogueDeadline deadline = new DialogueDeadline(Deadline.after(Clock.systemUTC(), Duration.ofSeconds(60)),
                Duration.ofSeconds(5), Reports.withDetail(ReportTemplate.DELIVERY_TIMED_OUT, "60"));
        try (MessageSource message = MessageSource.kept(
                new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1)), tmp)) {
            return new SmtpSession(client, InetAddress.getByName("127.0.0.1"), "sender.test", plan, new dev.qremote.sender.tls.TlsContexts(Clock.systemUTC()),
                    auth, mayReceiveCredentialsInClear, 32768, deadline)
                    .run(Envelope.of("a@sender.test", List.of(recipients)).orElseThrow(), message);
        }
    }
}
