package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.FOLDED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.RECODED_NOTE;

import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.message.RecodedMessage;
import dev.qremote.sender.message.RecodingPlan;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.Extensions;
import java.io.InputStream;
import java.util.Optional;

/**
 * How the message body goes to one server: in BDAT chunks or after DATA, announced with BODY=8BITMIME or
 * not, recoded to quoted-printable (and long header lines folded) or as it is. Decided from what the
 * server offers and one read of the message ahead of MAIL; a message that cannot be read ahead goes as it
 * is, and sending it meets the read error where classic qmail does.
 */
record BodyPlan(String bodyParameter, boolean chunking, Optional<RecodingPlan> recoding) {
    private static final String EIGHT_BIT_MIME = " BODY=8BITMIME"; // RFC 6152

    static BodyPlan of(MessageSource message, Extensions extensions, int chunkSize) {
        boolean eightBitMime = extensions.has("8BITMIME");
        boolean chunking = chunkSize > 0 && extensions.has("CHUNKING");
        try {
            RecodingPlan plan = RecodingPlan.of(message, eightBitMime);
            boolean announce = eightBitMime && plan.eightBit();
            // BDAT lifts neither the 8-bit rule nor the line limit (RFC 3030 2, 3: only BINARYMIME does), and
            // its counts are of the bytes sent: a message that must be recoded goes after DATA
            return new BodyPlan(announce ? EIGHT_BIT_MIME : "", chunking && !plan.changes(),
                    Optional.of(plan).filter(RecodingPlan::changes));
        } catch (MessageReadException e) {
            return new BodyPlan("", chunking, Optional.empty());
        }
    }

    /** The K report with what was done to the message said after the classic text. */
    Report noted(Report accepted) {
        Report report = accepted;
        if (recoding.isPresent() && recoding.get().parts() > 0) {
            report = Reports.withNote(report, RECODED_NOTE, Integer.toString(recoding.get().parts()));
        }
        if (recoding.isPresent() && recoding.get().foldedLines() > 0) {
            report = Reports.withNote(report, FOLDED_NOTE, Integer.toString(recoding.get().foldedLines()));
        }
        return report;
    }

    /** What goes after DATA: the message from its first byte, recoded as planned. */
    InputStream content(MessageSource message) {
        InputStream raw = message.open();
        return recoding.<InputStream>map(plan -> new RecodedMessage(raw, plan)).orElse(raw);
    }
}
