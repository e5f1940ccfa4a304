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
    /** Of the last line, this much is kept when the lines pass the cap. */
    static final int LAST_LINE = 512;

    private RemoteText() {
    }

    /**
     * The "Remote host said: ..." block for these reply lines (ISO-8859-1 strings, one char per byte). When they
     * pass the cap, the first lines are cut and the last one (its code decides the reply) is kept, up to
     * {@value #LAST_LINE} bytes (fresh9 L2: a bounce showed only the 250 lines before the 554 that decided it).
     */
    public static String said(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        String last = lines.get(lines.size() - 1);
        int room = lines.size() > 1 && rendered(lines) > CAP ? CAP - Math.min(last.length(), LAST_LINE) - 2 : CAP; // two LFs
        for (int n = 0; n < lines.size(); n++) {
            boolean isLast = n == lines.size() - 1;
            if (isLast && room < CAP && text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                text.append('\n'); // the first lines were cut inside a line: the last one begins a line of its own
            }
            append(text, lines.get(n), isLast && room < CAP ? CAP : room);
        }
        return PREFIX + text;
    }

    /** Appends {@code line} and its LF while {@code text} is shorter than {@code limit}. */
    private static void append(StringBuilder text, String line, int limit) {
        for (int i = 0; i < line.length() && text.length() < limit; i++) {
            char c = line.charAt(i);
            if (c == '\r') {
                continue;
            }
            text.append(c >= 32 && c <= 126 ? c : '?');
        }
        if (text.length() < limit) {
            text.append('\n');
        }
    }

    /** The length of the lines rendered without a cap. */
    private static int rendered(List<String> lines) {
        int length = 0;
        for (String line : lines) {
            length += line.length() - (int) line.chars().filter(c -> c == '\r').count() + 1;
        }
        return length;
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
