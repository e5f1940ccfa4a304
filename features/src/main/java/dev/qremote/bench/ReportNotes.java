package dev.qremote.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * qmail-remote's reports made visible as {@link ReportText} does (one a line, NUL as \0), each with a note
 * saying what its letter tells qmail-send, and what its text shows (a recoding, DANE, a null MX, a size).
 */
public final class ReportNotes {
    private ReportNotes() {
    }

    public static String render(byte[] stdout) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        boolean refused = false;
        for (byte b : stdout) {
            report.write(b);
            if (b == 0) {
                byte[] one = report.toByteArray();
                one(out, one, refused);
                refused |= one[0] == 's' || one[0] == 'h';
                report.reset();
            }
        }
        if (report.size() > 0) {
            one(out, report.toByteArray(), refused);
        }
        return out.toString();
    }

    /** What the reports say about DANE. */
    public static TranscriptNotes.Dane dane(String reports) {
        if (reports.contains("(TLSA validated)")) {
            return TranscriptNotes.Dane.MATCHED;
        }
        return reports.contains("TLSA X.509 cert required but missing") ? TranscriptNotes.Dane.MISMATCHED
                : TranscriptNotes.Dane.NONE;
    }

    /** {@code refused}: an s or h report came before this one. */
    private static void one(StringBuilder out, byte[] report, boolean refused) {
        String visible = ReportText.visible(report);
        String line = visible.endsWith("\n") ? visible.substring(0, visible.length() - 1) : visible;
        String text = new String(report, StandardCharsets.ISO_8859_1);
        String note = switch (text.isEmpty() ? '?' : text.charAt(0)) {
            case 'r' -> "r: this recipient was accepted";
            case 'h' -> "h: this recipient was refused for good";
            case 's' -> "s: this recipient was refused for now";
            case 'K' -> "K: the message is delivered: qmail-send is done with it";
            case 'Z' -> "Z: deferred: qmail-send tries again later";
            case 'D' -> refused ? "D: no recipient was taken; for each, its own s (try later) or h (bounce) decides"
                    : "D: the message bounces";
            default -> "not a report qmail-send knows";
        };
        note += " — qmail-remote(8)";
        if (text.contains("Recoded to quoted-printable")) {
            note += "; recoded 8-bit text for a server without 8BITMIME — RFC 6152 3 / RFC 2045 6.7";
        }
        if (text.contains("(TLSA validated)")) {
            note += "; TLS verified by DANE — RFC 7672 3.1";
        }
        if (text.contains("TLSA X.509 cert required but missing")) {
            note += "; no TLSA record matched the server's certificate — RFC 7672 2.2 / 3.1.1";
        }
        if (text.contains("Sent with BDAT")) {
            note += "; sent in BDAT chunks — RFC 3030 2";
        }
        if (text.contains("null MX")) {
            note += "; null MX — RFC 7505 3";
        }
        if (text.contains("no message this large")) {
            note += "; the server's SIZE limit — RFC 1870 4 / 6";
        }
        TranscriptNotes.line(out, line, note);
    }
}
