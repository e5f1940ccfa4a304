package dev.qremote.sender.report;

import java.util.List;

/**
 * Renders what a server said for a report: every line with its code, CR dropped, each line ended by LF, and
 * every byte outside printable ASCII (space kept) shown as '?', so a hostile reply cannot forge report
 * structure or smuggle a NUL into qmail-send's log. Capped at {@value #CAP} bytes like classic HUGESMTPTEXT.
 */
public final class RemoteText {
    public static final int CAP = 5000;
    private static final String PREFIX = "Remote host said: ";

    private RemoteText() {
    }

    /** The "Remote host said: ..." block for these reply lines (ISO-8859-1 strings, one char per byte). */
    public static String said(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            for (int i = 0; i < line.length() && text.length() < CAP; i++) {
                char c = line.charAt(i);
                if (c == '\r') {
                    continue;
                }
                text.append(c >= 32 && c <= 126 ? c : '?');
            }
            if (text.length() < CAP) {
                text.append('\n');
            }
        }
        return PREFIX + text;
    }

    /** A host name or address from arguments or DNS, shown as classic outsafe() does. */
    public static String safe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '?');
        }
        return out.toString();
    }
}
