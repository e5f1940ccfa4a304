package dev.qremote.sender.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A report as mail (RFC 8460 5.3): multipart/report with report-type "tlsrpt", a short text part, and the
 * gzipped JSON as an application/tlsrpt+gzip attachment named as 5.3 recommends; the TLS-Report-Domain and
 * TLS-Report-Submitter headers and the Subject 5.3 gives. Lines end in LF, as qmail-inject takes them.
 * Header values come from control files and DNS names: any CR or LF in them is dropped, so no header can be
 * added through them.
 */
public final class ReportMail {
    private ReportMail() {
    }

    /**
     * The message for {@code to}.
     *
     * @param from the From address (control/tlsrptfrom)
     * @param submitter the submitting domain (control/me)
     * @param date when the mail is made
     * @param gzip the gzipped report
     */
    public static byte[] of(DailyReport report, String from, String to, String submitter, ZonedDateTime date,
            byte[] gzip) {
        String boundary = "tlsrpt-" + Long.toHexString(report.beginSeconds()) + "-" + Integer.toHexString(
                report.domain().hashCode());
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(clean(from)).append('\n');
        m.append("To: ").append(clean(to)).append('\n');
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date)).append('\n');
        m.append("Subject: Report Domain: ").append(clean(report.domain())).append(" Submitter: ")
                .append(clean(submitter)).append(" Report-ID: <").append(clean(report.reportId())).append(">\n");
        m.append("TLS-Report-Domain: ").append(clean(report.domain())).append('\n');
        m.append("TLS-Report-Submitter: ").append(clean(submitter)).append('\n');
        m.append("MIME-Version: 1.0\n");
        m.append("Content-Type: multipart/report; report-type=\"tlsrpt\";\n boundary=\"").append(boundary)
                .append("\"\n\n");
        m.append("This is a multipart message in MIME format.\n\n");
        m.append("--").append(boundary).append('\n');
        m.append("Content-Type: text/plain; charset=us-ascii\n\n");
        m.append("This is an aggregate TLS report (RFC 8460) from ").append(clean(submitter)).append(" for ")
                .append(clean(report.domain())).append(", ").append(report.day()).append(" (UTC).\n\n");
        m.append("--").append(boundary).append('\n');
        m.append("Content-Type: application/tlsrpt+gzip\n");
        m.append("Content-Transfer-Encoding: base64\n");
        m.append("Content-Disposition: attachment;\n filename=\"").append(clean(report.fileName(submitter)))
                .append("\"\n\n");
        m.append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(gzip)).append("\n\n");
        m.append("--").append(boundary).append("--\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String clean(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
