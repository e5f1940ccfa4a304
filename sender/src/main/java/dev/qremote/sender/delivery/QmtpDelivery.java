package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.NO_RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.QMTP_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.QMTP_NO_CONNECTION;
import static dev.qremote.sender.report.ReportTemplate.QMTP_PROTOCOL_VIOLATION;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.TLS_HANDSHAKE_FAILED;

import dev.qremote.sender.control.Controls;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate.Refusal;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.routing.Route;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.transport.qmtp.QmtpClient;
import dev.qremote.sender.transport.qmtp.QmtpProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A delivery over QMTP (s/qmail's qmtproutes): the addresses of the relay in turn until one takes a
 * connection, then one package and one reply per recipient, mapped to the classic r/h/s reports. QMTPS
 * (port 6209) speaks TLS from the first byte and, as s/qmail, takes any certificate. With control/deliverylog,
 * one line per attempt (no SMTP replies; the bytes of the package), as {@link MxWalk} writes for SMTP.
 */
final class QmtpDelivery {
    private final DeliveryContext context;
    private final Controls controls;
    private final Deadline deadline;
    /** control/deliverylog's file; empty: nothing is traced or written. */
    private Optional<Path> log = Optional.empty();
    private String host = "";
    /** Attempts of this delivery so far (for the log). */
    private int attempts;
    /** Whether an attempt's own result ended the delivery (its log line carries the letter). */
    private boolean decided;

    QmtpDelivery(DeliveryContext context, Controls controls, Deadline deadline) {
        this.context = context;
        this.controls = controls;
        this.deadline = deadline;
    }

    /** Log each attempt to {@code file} (control/deliverylog), under the delivery's host argument. */
    QmtpDelivery loggedTo(Optional<Path> file, String host) {
        this.log = file;
        this.host = host;
        return this;
    }

    DeliveryResult deliver(List<Destination> candidates, Route.Qmtp route, String sender, List<String> recipients,
            MessageSource message) {
        Instant start = context.clock().instant();
        DeliveryResult result = walk(candidates, route, sender, recipients, message);
        if (log.isPresent() && !decided) {
            // as MxWalk: the delivery's own line when no attempt decided it
            boolean cancelled = deadline.cancellation().cancelled()
                    && !DeliveryEngine.standsCancel(result.messageReport());
            append(AttemptTrace.withoutAttempt(start, context.clock().instant(), host, sender, recipients,
                    DeliveryEngine.asLogged(result.messageReport(), cancelled),
                    cancelled ? "cancelled" : attempts == 0 ? "no-attempt" : "gave-up"));
        }
        return result;
    }

    private DeliveryResult walk(List<Destination> candidates, Route.Qmtp route, String sender, List<String> recipients,
            MessageSource message) {
        TimeoutMemory memory = context.timeoutMemory();
        Dialer dialer = new Dialer(context, memory, controls.connectTimeout(), deadline);
        Report lastFailure = null;
        for (Destination destination : candidates) {
            if (deadline.expired()) {
                return DeliveryResult.of(lastFailure != null ? lastFailure : DeliveryEngine.timedOut(controls));
            }
            InetAddress address = destination.address();
            TimeoutMemory.Check seen = memory.check(address);
            if (seen == TimeoutMemory.Check.SKIP) {
                continue;
            }
            AttemptTrace trace = log.isEmpty() ? null : new AttemptTrace(context.clock(), host, sender, recipients,
                    ++attempts, route.relay(), address, route.port());
            Optional<Socket> dialled = dialer.dial(address, route.port(), seen);
            if (dialled.isEmpty()) {
                write(trace, null, null, 0, new Attempt.NoConnection());
                continue;
            }
            Socket socket = dialled.get();
            QmtpClient client;
            TlsClient secured = null;
            try {
                client = new QmtpClient(socket, controls.remoteTimeout(), context.timer());
                if (route.tls()) {
                    TlsClient tls = context.tlsContexts().client(TlsPolicy.opportunistic(), List.of(),
                            List.of(route.relay()), Optional.empty());
                    client.upgrade(plain -> tls.handshake(plain, route.relay()));
                    secured = tls;
                }
            } catch (IOException | TlsConfigException e) {
                Dialer.closeQuietly(socket);
                lastFailure = Reports.forTls(TLS_HANDSHAKE_FAILED, address, route.relay(), route.relay(), "", List.of());
                write(trace, null, "handshake", 0, new Attempt.TryNext(lastFailure));
                continue;
            }
            DeliveryResult result;
            if (message.unreadable()) { // found only now, as classic reads the message when connected
                client.close();
                result = DeliveryResult.of(Reports.of(MESSAGE_UNREADABLE));
            } else {
                result = converse(client, address, message, sender, recipients);
            }
            decided = true;
            write(trace, secured, null, client.bytesSent(), new Attempt.Done(result));
            return result;
        }
        return DeliveryResult.of(lastFailure != null ? lastFailure : Reports.of(QMTP_NO_CONNECTION));
    }

    /** The line of one attempt, when a log is kept; a log that cannot be written is passed by. */
    private void write(AttemptTrace trace, TlsClient secured, String tlsFailure, long bytes, Attempt attempt) {
        if (trace != null) {
            trace.qmtp(secured, tlsFailure, bytes);
            append(trace.line(attempt, deadline.cancellation().cancelled()));
        }
    }

    private void append(byte[] line) {
        try {
            context.deliveryLog().append(log.get(), line);
        } catch (RuntimeException e) {
            // the log never changes a delivery
        }
    }

    private DeliveryResult converse(QmtpClient client, InetAddress peer, MessageSource message, String sender,
            List<String> recipients) {
        List<Report> reports = new ArrayList<>();
        try {
            client.send(message, sender, recipients);
            String lastAccepted = null;
            for (int i = 0; i < recipients.size(); i++) {
                String reply = client.reply();
                Outcome outcome = Outcome.ofQmtp(reply.charAt(0));
                if (outcome == Outcome.ACCEPTED) {
                    reports.add(Reports.of(RECIPIENT_ACCEPTED));
                    lastAccepted = reply.substring(1);
                } else {
                    reports.add(Reports.forPeer(outcome.refusal(Refusal.RECIPIENT), peer, List.of(reply.substring(1))));
                }
            }
            Report result = lastAccepted == null ? Reports.forPeer(NO_RECIPIENT_ACCEPTED, peer, List.of())
                    : Reports.forPeer(QMTP_ACCEPTED, peer, List.of(lastAccepted));
            return new DeliveryResult(reports, result);
        } catch (MessageReadException e) {
            return new DeliveryResult(reports, Reports.of(MESSAGE_UNREADABLE));
        } catch (QmtpProtocolException e) {
            return new DeliveryResult(reports, Reports.forPeer(QMTP_PROTOCOL_VIOLATION, peer, List.of()));
        } catch (IOException e) {
            return new DeliveryResult(reports, Reports.forPeer(client.packageSent() ? CONNECTION_DIED_AFTER_DOT
                    : CONNECTION_DIED, peer, List.of()));
        } finally {
            client.close();
        }
    }
}
