package dev.qremote.sender.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes recipient reports and then exactly one message report. qmail-rspawn takes the first K, Z or D it
 * sees as the result, so a message report anywhere but last would lose mail; this class makes that impossible.
 */
public final class ReportWriter {
    private final OutputStream out;
    private boolean finished;

    public ReportWriter(OutputStream out) {
        this.out = out;
    }

    public void write(List<Report> recipientReports, Report messageReport) throws IOException {
        if (finished) {
            throw new IllegalStateException("the message report was already written");
        }
        if (messageReport.isRecipientReport()) {
            throw new IllegalArgumentException("not a message report: " + messageReport.template());
        }
        for (Report r : recipientReports) {
            if (!r.isRecipientReport()) {
                throw new IllegalArgumentException("not a recipient report: " + r.template());
            }
            out.write(r.bytes());
        }
        out.write(messageReport.bytes());
        out.flush();
        finished = true;
    }
}
