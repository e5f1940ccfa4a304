package dev.qremote.sender.message;

/**
 * The quoted-printable encoder of RFC 2045 6.7 for one body, fed in pieces. Printable ASCII but '=' goes as
 * it is; every other byte as =XX; space and tab as they are unless a line would end on them; encoded lines
 * at most 76 characters, soft breaks included; a line never starts with '-'. Hard line breaks are the
 * caller's: it calls {@link #endLine} before writing one.
 */
final class QuotedPrintable {
    /** Characters before a soft break's '=': 75, so that with it a line has 76 (RFC 2045 6.7 rule 5). */
    private static final int ROOM = 75;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Staging out;
    private int column;
    private int heldSpace = -1;

    QuotedPrintable(Staging out) {
        this.out = out;
    }

    void encode(byte[] src, int offset, int length) {
        out.reserve(4 * length + 16); // every byte escaped, a soft break per 25 of them, a held space
        byte[] dst = out.array();
        int o = out.end();
        int col = column;
        int held = heldSpace;
        for (int i = offset, end = offset + length; i < end; i++) {
            int b = src[i] & 0xff;
            if (held >= 0) {
                if (col + 1 > ROOM) { // not at the end of a line after all: as it is
                    o = softBreak(dst, o);
                    col = 0;
                }
                dst[o++] = (byte) held;
                col++;
                held = -1;
            }
            if (b == ' ' || b == '\t') {
                held = b;
                continue;
            }
            boolean literal = b >= 33 && b <= 126 && b != '=';
            if (col + (literal ? 1 : 3) > ROOM) {
                o = softBreak(dst, o);
                col = 0;
            }
            if (literal && !(b == '-' && col == 0)) { // "--" starting a line could pass for a delimiter
                dst[o++] = (byte) b;
                col++;
            } else {
                if (col + 3 > ROOM) {
                    o = softBreak(dst, o);
                    col = 0;
                }
                o = escape(dst, o, b);
                col += 3;
            }
        }
        out.commit(o);
        column = col;
        heldSpace = held;
    }

    /** The current line ends here: a space or tab held back is escaped, so no line ends in one. */
    void endLine() {
        if (heldSpace >= 0) {
            out.reserve(6);
            byte[] dst = out.array();
            int o = out.end();
            if (column + 3 > ROOM) {
                o = softBreak(dst, o);
            }
            out.commit(escape(dst, o, heldSpace));
            heldSpace = -1;
        }
        column = 0;
    }

    private static int softBreak(byte[] dst, int o) {
        dst[o] = '=';
        dst[o + 1] = '\r';
        dst[o + 2] = '\n';
        return o + 3;
    }

    private static int escape(byte[] dst, int o, int b) {
        dst[o] = '=';
        dst[o + 1] = HEX[b >> 4];
        dst[o + 2] = HEX[b & 0xf];
        return o + 3;
    }
}
