package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.DATA_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.DATA_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.GREETING_FAILED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.NAME_REJECTED;
import static dev.qremote.sender.report.ReportTemplate.NO_RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.PARTIAL_FINAL_LINE;
import static dev.qremote.sender.report.ReportTemplate.PROTOCOL_VIOLATION;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_UNUSABLE;
import static dev.qremote.sender.report.ReportTemplate.SENDER_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.SENDER_REJECTED_TEMPORARILY;

import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.PartialFinalLineException;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.Reply;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.transport.smtp.SmtpProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One SMTP dialogue on a connected socket, and what each reply means for the reports (the classic
 * qmail-remote smtp() function, with EHLO and PIPELINING). Once connected, the outcome is final: a
 * rejection is not retried at another MX, as in classic qmail.
 */
final class SmtpTransaction {
    private final SmtpClient client;
    private final InetAddress peer;
    private final String heloHost;
    private final List<Report> recipientReports = new ArrayList<>();

    SmtpTransaction(SmtpClient client, InetAddress peer, String heloHost) {
        this.client = client;
        this.peer = peer;
        this.heloHost = heloHost;
    }

    DeliveryResult run(Envelope envelope, InputStream message) {
        try {
            return converse(envelope, message);
        } catch (SmtpProtocolException e) {
            client.quit();
            return finish(Reports.forPeer(PROTOCOL_VIOLATION, peer, e.command(), e.received()));
        } catch (IOException e) {
            client.abort();
            return finish(Reports.forPeer(client.finalDotSent() ? CONNECTION_DIED_AFTER_DOT : CONNECTION_DIED,
                    peer, List.of()));
        }
    }

    private DeliveryResult converse(Envelope envelope, InputStream message)
            throws IOException, SmtpProtocolException {
        Reply greeting = client.greeting();
        if (greeting.code() != 220) {
            return quit(GREETING_FAILED, greeting);
        }
        if (client.ehlo(heloHost).code() != 250) {
            Reply helo = client.helo(heloHost);
            if (helo.code() != 250) {
                return quit(NAME_REJECTED, helo);
            }
        }

        Iterator<Optional<String>> positions = envelope.recipientPaths().iterator();
        boolean[] anyAccepted = {false};
        Reply mail = client.envelope(envelope.senderPath(), envelope.sendable(), reply -> {
            reportUnusableUpToNextSendable(positions);
            anyAccepted[0] |= reply.isPositive();
            recipientReports.add(recipientReport(reply));
        });
        if (!mail.isPositive()) {
            return quit(mail.isPermanentFailure() ? SENDER_REJECTED_PERMANENTLY : SENDER_REJECTED_TEMPORARILY,
                    mail);
        }
        reportUnusableUpToNextSendable(positions);
        if (!anyAccepted[0]) {
            return quit(NO_RECIPIENT_ACCEPTED, null);
        }

        Reply data = client.data();
        if (!data.isPositive()) {
            return quit(data.isPermanentFailure() ? DATA_REJECTED_PERMANENTLY : DATA_REJECTED_TEMPORARILY, data);
        }
        Reply accepted;
        try {
            accepted = client.message(message);
        } catch (PartialFinalLineException e) {
            client.abort();
            return finish(Reports.of(PARTIAL_FINAL_LINE));
        } catch (MessageReadException e) {
            client.abort();
            return finish(Reports.of(MESSAGE_UNREADABLE));
        }
        if (accepted.isPermanentFailure()) {
            return quit(MESSAGE_REJECTED_PERMANENTLY, accepted);
        }
        if (accepted.isTransientFailure()) {
            return quit(MESSAGE_REJECTED_TEMPORARILY, accepted);
        }
        return quit(MESSAGE_ACCEPTED, accepted);
    }

    /** Recipients that were never sent get their report in their own position, before the next one sent. */
    private void reportUnusableUpToNextSendable(Iterator<Optional<String>> positions) {
        while (positions.hasNext()) {
            if (positions.next().isPresent()) {
                return;
            }
            recipientReports.add(Reports.of(RECIPIENT_UNUSABLE));
        }
    }

    private Report recipientReport(Reply reply) {
        if (reply.isPermanentFailure()) {
            return Reports.forPeer(RECIPIENT_REJECTED_PERMANENTLY, peer, reply.lines());
        }
        if (reply.isTransientFailure()) {
            return Reports.forPeer(RECIPIENT_REJECTED_TEMPORARILY, peer, reply.lines());
        }
        return Reports.of(RECIPIENT_ACCEPTED);
    }

    private DeliveryResult quit(ReportTemplate template, Reply reply) {
        client.quit();
        return finish(Reports.forPeer(template, peer, reply == null ? List.of() : reply.lines()));
    }

    private DeliveryResult finish(Report messageReport) {
        return new DeliveryResult(recipientReports, messageReport);
    }
}
