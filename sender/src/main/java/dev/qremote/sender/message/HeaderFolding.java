package dev.qremote.sender.message;

/**
 * Folds a header line longer than SMTP carries (998 bytes) before whitespace it already has, so that
 * unfolding (RFC 5322 2.2.3: removing each CRLF that precedes a space or tab) gives back the very same
 * line. A line that cannot be folded so that every part fits stays as it is: breaking a stretch without
 * whitespace would change the field.
 */
final class HeaderFolding {
    private static final byte[] CRLF = {'\r', '\n'};

    private HeaderFolding() {
    }

    /**
     * Writes the line {@code b[start, start + length)} into {@code out} (when not null), folded when every
     * folded line then fits, else as it is. Returns how many line breaks were inserted.
     */
    static int fold(byte[] b, int start, int length, Staging out) {
        int breaks = cut(b, start, start + length, null);
        if (breaks <= 0) {
            if (out != null) {
                out.write(b, start, length);
            }
            return 0;
        }
        return out == null ? breaks : cut(b, start, start + length, out);
    }

    /** Folds before the last space or tab that keeps each line within limits; -1 when no fold fits. */
    private static int cut(byte[] b, int from, int end, Staging out) {
        int breaks = 0;
        while (end - from > RecodingPlan.LONGEST_LINE) {
            int text = from;
            while (text < end && isSpace(b[text])) {
                text++; // a folded line must carry more than whitespace
            }
            int cut = -1;
            for (int k = from + RecodingPlan.LONGEST_LINE; k > text; k--) {
                if (isSpace(b[k])) {
                    cut = k;
                    break;
                }
            }
            if (cut < 0) {
                return -1;
            }
            if (out != null) {
                out.write(b, from, cut - from);
                out.write(CRLF, 0, 2);
            }
            breaks++;
            from = cut;
        }
        if (out != null) {
            out.write(b, from, end - from);
        }
        return breaks;
    }

    /** Whether a header piece is a whole line (not one piece of a longer one) that needs folding. */
    static boolean applies(LineReader piece) {
        return piece.lineStart() && piece.end() != LineReader.End.NONE
                && piece.length() > RecodingPlan.LONGEST_LINE;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }
}
