package dev.qremote.sender.spawn;

import dev.qremote.sender.report.ReportTemplate;
import java.io.ByteArrayOutputStream;

/**
 * What C qmail-rspawn's {@code report()} makes of qmail-remote's output, so that qmail-send reads from us
 * byte for byte what it would read from C qmail-rspawn running C qmail-remote. The input is a whole
 * qmail-remote output (NUL-terminated reports: r/h/s per recipient, then K/Z/D); the result is the text
 * between the slot byte and the closing NUL, which this class does not add. Only the clean exit applies:
 * a delivery in this process neither crashes nor exits, so C's texts for those never arise. Public for the
 * features, which translate per-process qmail-remote's output to compare it with the resident answer.
 */
public final class ReportTranslation {
    /** C qmail-rspawn's text for a qmail-remote that printed nothing. */
    static final String NO_OUTPUT = ResidentSpawn.answer(ReportTemplate.REMOTE_NO_OUTPUT);

    private ReportTranslation() {
    }

    /**
     * The translation of {@code s}: the letter of the first K (accepted), Z (deferred) or D (bounced, also
     * when there is none), overridden by a first report starting with s (Z) or h (D); then the first report's
     * text after its letter; then, when the first report did not make the outcome worse than the K/Z/D report
     * (K over Z over D) and a K/Z/D report follows it, that report's text too.
     *
     * @param s qmail-remote's output; may be empty, may lack its last NUL
     * @return the bytes without the slot byte and the final NUL; never containing a NUL
     */
    public static byte[] translate(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + 1);
        if (s.length == 0) {
            ascii(out, NO_OUTPUT);
            return out.toByteArray();
        }
        int result = -1;
        int start = 0;
        for (int k = 0; k < s.length; k++) {
            if (s[k] == 0) {
                byte first = s[start];
                if (first == 'K') {
                    result = 1;
                    break;
                }
                if (first == 'Z') {
                    result = 0;
                    break;
                }
                if (first == 'D') {
                    break;
                }
                start = k + 1;
            }
        }
        int orr = result;
        if (s[0] == 's') {
            orr = 0;
        } else if (s[0] == 'h') {
            orr = -1;
        }
        out.write(orr == 1 ? 'K' : orr == 0 ? 'Z' : 'D');
        for (int k = 1; k < s.length;) {
            if (s[k++] == 0) {
                text(out, s, 1);
                if (result <= orr && k < s.length && (s[k] == 'Z' || s[k] == 'D' || s[k] == 'K')) {
                    text(out, s, k + 1);
                }
                break;
            }
        }
        return out.toByteArray();
    }

    /** The bytes from {@code from} up to the next NUL or the end (C's puts of a NUL-terminated string). */
    private static void text(ByteArrayOutputStream out, byte[] s, int from) {
        int end = from;
        while (end < s.length && s[end] != 0) {
            end++;
        }
        out.write(s, from, end - from);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        for (int i = 0; i < text.length(); i++) {
            out.write(text.charAt(i));
        }
    }
}
