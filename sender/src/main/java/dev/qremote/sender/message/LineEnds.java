package dev.qremote.sender.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The line-end rule of this program, as a state machine over pieces of a message: CRLF stays CRLF, a lone
 * LF or a lone CR becomes CRLF (RFC 5321 2.3.8). A CR at the end of a piece waits for the next one. With
 * dot-stuffing (DATA, not BDAT), a line starting with '.' gets another '.'.
 */
final class LineEnds {
    /** Eight bytes of an array as one long, lowest address in the lowest byte (what {@link #lineBreak} counts on). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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

    /**
     * Converts {@code n} bytes of {@code src} into {@code dst}; returns how many bytes it wrote. The bytes
     * between line breaks are found eight at a time and copied whole: the launcher's JIT (C1 only) compiles
     * a byte-at-a-time loop with no unrolling, and a 10 MiB message spent most of its CPU here.
     */
    int convert(byte[] src, int n, byte[] dst) {
        int o = 0;
        int i = 0;
        boolean cr = pendingCr;
        boolean start = lineStart;
        while (i < n) {
            byte b = src[i];
            if (cr) {
                dst[o++] = '\r';
                dst[o++] = '\n';
                cr = false;
                start = true;
                if (b == '\n') {
                    i++;
                    continue;
                }
            }
            if (b == '\r') {
                cr = true;
                i++;
            } else if (b == '\n') {
                dst[o++] = '\r';
                dst[o++] = '\n';
                start = true;
                i++;
            } else {
                if (stuffDots && start && b == '.') {
                    dst[o++] = '.';
                }
                int end = lineBreak(src, i + 1, n);
                System.arraycopy(src, i, dst, o, end - i);
                o += end - i;
                start = false;
                i = end;
            }
        }
        pendingCr = cr;
        lineStart = start;
        return o;
    }

    /** The index of the first CR or LF in {@code src[from..n)}, or {@code n}. */
    static int lineBreak(byte[] src, int from, int n) {
        int i = from;
        while (i + Long.BYTES <= n) {
            long word = (long) LONGS.get(src, i);
            long lf = word ^ 0x0A0A0A0A0A0A0A0AL;
            long cr = word ^ 0x0D0D0D0D0D0D0D0DL;
            // a byte of lf or cr is zero where the word holds LF or CR; the lowest flagged byte is exact
            long found = ((lf - 0x0101010101010101L) & ~lf | (cr - 0x0101010101010101L) & ~cr) & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < n && src[i] != '\n' && src[i] != '\r') {
            i++;
        }
        return i;
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
