package dev.qremote.sender.delivery;

import dev.qremote.sender.attemptlog.JsonLine;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tls.TlsOutcome;
import dev.qremote.sender.transport.smtp.SmtpClient;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one attempt (one connection, or one kept session taken up) did, for control/deliverylog: made only
 * when a log is configured, filled by {@link MxWalk} and {@link SmtpSession} (or, for QMTP, by
 * {@link QmtpDelivery}), and turned into one JSON line.
 * Holds no secret: the AUTH mechanism is kept, never what was sent with it, and replies only by their code.
 * One thread.
 */
final class AttemptTrace {
    private final Clock clock;
    private final String host;
    private final String sender;
    private final List<String> recipients;
    private final int number;
    private final String mx;
    private final InetAddress address;
    private final int port;
    private Instant start;
    private String protocol = "smtp";
    private boolean reused;
    private TlsClient tls;
    private String tlsFailure;
    private String auth;
    private final List<String> commands = new ArrayList<>();
    private int[] codes = new int[16];
    private SmtpClient client;
    private long bytesBefore;
    private long bytes;
    private AttemptTrace successor;
    /** This side's address of the connection (TLS reporting's sending-mta-ip); null until connected. */
    private InetAddress local;
    /** The MTA-STS state of the attempt (mode, result), or null: MTA-STS off, or no policy for the domain. */
    private String[] sts;

    AttemptTrace(Clock clock, String host, String sender, List<String> recipients, int number, String mx,
            InetAddress address, int port) {
        this.clock = clock;
        this.host = host;
        this.sender = sender;
        this.recipients = recipients;
        this.number = number;
        this.mx = mx;
        this.address = address;
        this.port = port;
        this.start = clock.instant();
    }

    /** The same address again after a kept session went stale: a new attempt over a fresh connection. */
    AttemptTrace next() {
        successor = new AttemptTrace(clock, host, sender, recipients, number + 1, mx, address, port);
        return successor;
    }

    /** The attempt this one led to (after a stale kept session), or this one. */
    AttemptTrace last() {
        return successor == null ? this : successor.last();
    }

    int number() {
        return number;
    }

    void reused() {
        reused = true;
    }

    /** A QMTP attempt: no SMTP replies, the bytes of the package as {@code sent}. */
    void qmtp(TlsClient secured, String failure, long sent) {
        protocol = "qmtp";
        tls = secured;
        tlsFailure = failure;
        bytes = sent;
    }

    boolean wasReused() {
        return reused;
    }

    void local(InetAddress address) {
        local = address;
    }

    InetAddress local() {
        return local;
    }

    Instant started() {
        return start;
    }

    /** The TLS the session had (null: none) and why it had none where it tried (null: no such failure). */
    TlsClient tls() {
        return tls;
    }

    String tlsFailure() {
        return tlsFailure;
    }

    InetAddress address() {
        return address;
    }

    /** From now on the replies and bytes of {@code smtp} count for this attempt. */
    void watch(SmtpClient smtp) {
        client = smtp;
        bytesBefore = smtp.bytesSent();
        smtp.watchReplies(this::replied);
    }

    /** The session is over: what it had, and the client no longer tells this trace anything. */
    void ended(TlsClient secured, String failure) {
        tls = secured;
        tlsFailure = failure;
        if (client != null) {
            bytes = client.bytesSent() - bytesBefore;
            client.watchReplies(null);
        }
    }

    /**
     * The attempt's MTA-STS state for the log's "mta_sts": the policy's mode ("enforce", "testing", "none";
     * null: no policy could be had) and the RFC 8460 4.3 result type (null: the policy did not judge it).
     */
    void sts(String mode, String result) {
        sts = new String[] {"mode", mode, "result", result};
    }

    /** Whether the server answered an EHLO with 250 (the session got as far as choosing TLS or not). */
    boolean ehloAnswered() {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).equals("EHLO") && codes[i] == 250) {
                return true;
            }
        }
        return false;
    }

    void auth(String mechanism) {
        auth = mechanism;
    }

    private void replied(String command, int code) {
        if (commands.size() == codes.length) {
            codes = Arrays.copyOf(codes, codes.length * 2);
        }
        codes[commands.size()] = code;
        commands.add(command);
    }

    /**
     * The line for this attempt, ended as {@code attempt} says; {@code cancelled}: the delivery was cancelled,
     * so a report that does not stand the cancel (all but a K or a possible duplicate) is logged as the
     * cancel's, with the outcome "cancelled".
     */
    byte[] line(Attempt attempt, boolean cancelled) {
        Instant end = clock.instant();
        Report made = attempt instanceof Attempt.Done done ? done.result().messageReport()
                : attempt instanceof Attempt.TryNext next ? next.report() : null;
        Report report = made == null ? null : DeliveryEngine.asLogged(made, cancelled);
        String outcome = report != made ? "cancelled"
                : attempt instanceof Attempt.Done ? "done"
                : attempt instanceof Attempt.TryNext ? "next"
                : attempt instanceof Attempt.RetryWithoutTls ? "plaintext-retry"
                : attempt instanceof Attempt.Stale ? "stale"
                : attempt instanceof Attempt.More ? "mailmax" : "no-connection";
        return new JsonLine()
                .field("time", start.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
                .field("host", host)
                .field("attempt", number)
                .field("mx", mx)
                .field("address", address.getHostAddress())
                .field("port", port)
                .field("protocol", protocol)
                .field("reused", reused)
                .field("tls", tls == null ? null : tls.protocol())
                .field("cipher", tls == null ? null : tls.cipherSuite())
                .field("verified", tls == null ? null : verified(tls.verifier().outcome()))
                .field("tls_failure", tlsFailure)
                .field("auth", auth)
                .object("mta_sts", sts)
                .field("sender", sender)
                .strings("recipients", recipients)
                .pairs("replies", "command", commands, "code", codes)
                .field("bytes", bytes)
                .field("ms", Math.max(0, end.toEpochMilli() - start.toEpochMilli()))
                .field("outcome", outcome)
                .field("letter", report == null ? null : String.valueOf(report.letter()))
                .field("report", report == null ? null : report.text())
                .bytes();
    }

    /**
     * The line of a delivery that ended before any mail exchanger was tried (a DNS failure, no MX, a control
     * file in error): the same fields, with no MX, address, TLS or replies, and the outcome "no-attempt".
     */
    static byte[] withoutAttempt(Instant start, Instant end, String host, String sender, List<String> recipients,
            Report report) {
        return withoutAttempt(start, end, host, sender, recipients, report, "no-attempt", null);
    }

    static byte[] withoutAttempt(Instant start, Instant end, String host, String sender, List<String> recipients,
            Report report, String outcome) {
        return withoutAttempt(start, end, host, sender, recipients, report, outcome, null);
    }

    /**
     * The delivery's own line when no attempt decided it: {@code outcome} "no-attempt" (none was made) or
     * "gave-up" (attempts were made, each logged, and none could take the message); {@code sts}: the
     * delivery's MTA-STS state as {"mode", MODE, "result", TYPE}, or null.
     */
    static byte[] withoutAttempt(Instant start, Instant end, String host, String sender, List<String> recipients,
            Report report, String outcome, String[] sts) {
        return new JsonLine()
                .field("time", start.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
                .field("host", host)
                .field("attempt", 0)
                .field("mx", null)
                .field("address", null)
                .field("port", null)
                .field("protocol", null)
                .field("reused", false)
                .field("tls", null)
                .field("cipher", null)
                .field("verified", null)
                .field("tls_failure", null)
                .field("auth", null)
                .object("mta_sts", sts)
                .field("sender", sender)
                .strings("recipients", recipients)
                .pairs("replies", "command", List.of(), "code", new int[0])
                .field("bytes", 0)
                .field("ms", Math.max(0, end.toEpochMilli() - start.toEpochMilli()))
                .field("outcome", outcome)
                .field("letter", String.valueOf(report.letter()))
                .field("report", report.text())
                .bytes();
    }

    private static String verified(TlsOutcome outcome) {
        if (outcome == null) {
            return "none";
        }
        return switch (outcome) {
            case CA -> "ca";
            case CA_AND_NAME_WILDCARD -> "ca+name-wildcard";
            case CA_AND_NAME_EXACT -> "ca+name";
            case PINNED -> "pin";
            case TLSA -> "dane";
            default -> "none";
        };
    }
}
