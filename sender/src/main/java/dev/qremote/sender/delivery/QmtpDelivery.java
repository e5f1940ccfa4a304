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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A delivery over QMTP (s/qmail's qmtproutes): the addresses of the relay in turn until one takes a
 * connection, then one package and one reply per recipient, mapped to the classic r/h/s reports. QMTPS
 * (port 6209) speaks TLS from the first byte and, as s/qmail, takes any certificate.
 */
final class QmtpDelivery {
    private final DeliveryContext context;
    private final Controls controls;
    private final Deadline deadline;

    QmtpDelivery(DeliveryContext context, Controls controls, Deadline deadline) {
        this.context = context;
        this.controls = controls;
        this.deadline = deadline;
    }

    DeliveryResult deliver(List<Destination> candidates, Route.Qmtp route, String sender, List<String> recipients,
            MessageSource message) {
        TimeoutMemory memory = context.timeoutMemory();
        Dialer dialer = new Dialer(context, memory, controls.connectTimeout(), deadline);
        Report lastFailure = null;
        {
            for (Destination destination : candidates) {
                if (deadline.expired()) {
                    return DeliveryResult.of(lastFailure != null ? lastFailure : DeliveryEngine.timedOut(controls));
                }
                InetAddress address = destination.address();
                TimeoutMemory.Check seen = memory.check(address);
                if (seen == TimeoutMemory.Check.SKIP) {
                    continue;
                }
                Optional<Socket> dialled = dialer.dial(address, route.port(), seen);
                if (dialled.isEmpty()) {
                    continue;
                }
                Socket socket = dialled.get();
                QmtpClient client;
                try {
                    client = new QmtpClient(socket, controls.remoteTimeout(), context.timer());
                    if (route.tls()) {
                        TlsClient tls = context.tlsContexts().client(TlsPolicy.opportunistic(), List.of(),
                                List.of(route.relay()), Optional.empty());
                        client.upgrade(plain -> tls.handshake(plain, route.relay()));
                    }
                } catch (IOException | TlsConfigException e) {
                    Dialer.closeQuietly(socket);
                    lastFailure = Reports.forTls(TLS_HANDSHAKE_FAILED, address, route.relay(), route.relay(), "", List.of());
                    continue;
                }
                if (message.unreadable()) { // found only now, as classic reads the message when connected
                    client.close();
                    return DeliveryResult.of(Reports.of(MESSAGE_UNREADABLE));
                }
                return converse(client, address, message, sender, recipients);
            }
            return DeliveryResult.of(lastFailure != null ? lastFailure : Reports.of(QMTP_NO_CONNECTION));
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
