package dev.qremote.sender.message;

/**
 * The quoted-printable encoder of RFC 2045 6.7 for one body, fed in pieces. Printable ASCII but '=' goes as
 * it is; every other byte as =XX; space and tab as they are unless a line would end on them; encoded lines
 * at most 76 characters, soft breaks included; a line never starts with '-'. Hard line breaks are the caller's: it calls
 * {@link #endLine} before writing one.
 */
final class QuotedPrintable {
    private static final int LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Staging out;
    private int column;
    private int heldSpace = -1;

    QuotedPrintable(Staging out) {
        this.out = out;
    }

    void encode(byte[] src, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            encode(src[i] & 0xff);
        }
    }

    /** One byte of content. */
    void encode(int b) {
        if (heldSpace >= 0) {
            int space = heldSpace;
            heldSpace = -1;
            literal(space); // not at the end of a line after all
        }
        if (b == ' ' || b == '\t') {
            heldSpace = b;
        } else if (b >= 33 && b <= 126 && b != '=') {
            literal(b);
        } else {
            escaped(b);
        }
    }

    /** The current line ends here: a space or tab held back is escaped, so no line ends in one. */
    void endLine() {
        if (heldSpace >= 0) {
            int space = heldSpace;
            heldSpace = -1;
            escaped(space);
        }
        column = 0;
    }

    private void literal(int b) {
        room(1);
        if (column == 0 && b == '-') {
            escaped(b); // a line of its own starting "--" could pass for a multipart delimiter
            return;
        }
        out.write(b);
        column++;
    }

    private void escaped(int b) {
        room(3);
        out.write('=');
        out.write(HEX[b >> 4]);
        out.write(HEX[b & 0xf]);
        column += 3;
    }

    /** A soft line break when {@code n} more characters and the '=' of a later break would not fit. */
    private void room(int n) {
        if (column + n > LINE - 1) {
            out.write('=');
            out.write('\r');
            out.write('\n');
            column = 0;
        }
    }
}
