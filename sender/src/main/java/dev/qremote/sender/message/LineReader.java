package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * A message as lines, each handed out in one or more pieces. A line longer than the buffer comes in
 * buffer-sized pieces, so memory stays bounded; a line's first piece is the whole line or a full buffer, so
 * a boundary or a header name is always seen whole. CR, LF and CRLF each end a line, as {@link LineEnds}
 * treats them on the wire; which one it was is kept, for content that must come back byte for byte.
 */
final class LineReader {
    static final int BUFFER = 64 * 1024;

    /** How the line of the current piece ended; NONE when it goes on in the next piece or the input ended. */
    enum End {
        NONE(new byte[0]), LF(new byte[] {'\n'}), CR(new byte[] {'\r'}), CRLF(new byte[] {'\r', '\n'});

        final byte[] bytes;

        End(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final InputStream in;
    /** The longest piece; the buffer starts at the message's size when that is smaller, and grows to this. */
    private final int maxPiece;
    private byte[] buffer;
    private int pos;
    private int limit;
    private int scanned;
    private boolean eof;
    private boolean atLineStart = true;

    private int start;
    private int length;
    private boolean lineStart;
    private End end = End.NONE;

    LineReader(InputStream in) {
        this(in, BUFFER);
    }

    LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.maxPiece = Math.max(2, bufferSize);
        this.buffer = new byte[BufferSize.forStream(in, maxPiece)];
    }

    /** Moves to the next piece; false at the end of the input. */
    boolean next() throws IOException {
        while (true) {
            int i = LineEnds.lineBreak(buffer, Math.max(pos, scanned), limit); // eight bytes at a time
            if (i < limit) {
                if (buffer[i] == '\n') {
                    return piece(i, End.LF, i + 1);
                }
                if (i + 1 < limit) {
                    return buffer[i + 1] == '\n' ? piece(i, End.CRLF, i + 2) : piece(i, End.CR, i + 1);
                }
                if (eof) {
                    return piece(i, End.CR, i + 1);
                }
                scanned = i; // a CRLF may be split across reads: decide after the next one
            } else {
                scanned = limit;
            }
            if (eof) {
                return pos < limit && piece(limit, End.NONE, limit);
            }
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                scanned -= pos;
                pos = 0;
            } else if (limit == buffer.length && buffer.length < maxPiece) {
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(maxPiece, 2L * buffer.length));
            } else if (limit == buffer.length) {
                int cut = buffer[limit - 1] == '\r' ? limit - 1 : limit; // a CR at the very end waits
                return piece(cut, End.NONE, cut);
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    private boolean piece(int contentEnd, End lineEnd, int nextPos) {
        start = pos;
        length = contentEnd - pos;
        lineStart = atLineStart;
        end = lineEnd;
        atLineStart = lineEnd != End.NONE;
        pos = nextPos;
        scanned = nextPos;
        return true;
    }

    byte[] buffer() {
        return buffer;
    }

    /** Where the current piece's bytes start in {@link #buffer()}, without its line end. */
    int start() {
        return start;
    }

    int length() {
        return length;
    }

    /** Whether the current piece begins a line. */
    boolean lineStart() {
        return lineStart;
    }

    End end() {
        return end;
    }

    /** Whether the current piece is a whole empty line. */
    boolean emptyLine() {
        return lineStart && length == 0 && end != End.NONE;
    }
}
