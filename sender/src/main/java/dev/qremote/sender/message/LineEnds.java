package dev.qremote.sender.message;

/**
 * The line-end rule of this program, as a state machine over pieces of a message: CRLF stays CRLF, a lone
 * LF or a lone CR becomes CRLF (RFC 5321 2.3.8). A CR at the end of a piece waits for the next one. With
 * dot-stuffing (DATA, not BDAT), a line starting with '.' gets another '.'.
 */
final class LineEnds {
    private final boolean stuffDots;
    private boolean pendingCr;
    private boolean lineStart = true;

    LineEnds(boolean stuffDots) {
        this.stuffDots = stuffDots;
    }

    /** The most bytes {@link #convert} writes for {@code n} input bytes (and {@link #finish} after them). */
    static int room(int n) {
        return 2 * n + 2;
    }

    /** Converts {@code n} bytes of {@code src} into {@code dst}; returns how many bytes it wrote. */
    int convert(byte[] src, int n, byte[] dst) {
        int o = 0;
        for (int i = 0; i < n; i++) {
            byte b = src[i];
            if (pendingCr) {
                dst[o++] = '\r';
                dst[o++] = '\n';
                pendingCr = false;
                lineStart = true;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                dst[o++] = '\r';
                dst[o++] = '\n';
                lineStart = true;
            } else {
                if (stuffDots && lineStart && b == '.') {
                    dst[o++] = '.';
                }
                dst[o++] = b;
                lineStart = false;
            }
        }
        return o;
    }

    /**
     * Ends the message: a CR left over becomes CRLF (written at {@code dst[offset]}). Returns the new length.
     *
     * @throws PartialFinalLineException when the last line has no line break
     */
    int finish(byte[] dst, int offset) throws PartialFinalLineException {
        int o = offset;
        if (pendingCr) {
            dst[o++] = '\r';
            dst[o++] = '\n';
            pendingCr = false;
            lineStart = true;
        }
        if (!lineStart) {
            throw new PartialFinalLineException();
        }
        return o;
    }
}
