package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message in BDAT chunks (RFC 3030): line ends as CRLF (a lone LF or CR becomes CRLF, as for DATA),
 * no dot-stuffing, about {@code chunkSize} input bytes per chunk and never an empty one. Reads ahead by one
 * chunk so that the last one is known as last. A last line without a line break is refused, as for DATA.
 */
public final class Chunker {
    private final InputStream in;
    private final int chunkSize;
    private final LineEnds lineEnds = new LineEnds(false);
    private byte[] next;
    private boolean ended;

    public Chunker(InputStream in, int chunkSize) {
        this.in = in;
        this.chunkSize = Math.max(1, chunkSize);
    }

    /** The next chunk, or null after the last one. */
    public byte[] next() throws MessageReadException, PartialFinalLineException {
        if (next == null && !ended) {
            next = read();
        }
        byte[] current = next;
        next = current == null ? null : read();
        return current;
    }

    /** Whether the chunk just returned by {@link #next()} was the last. */
    public boolean wasLast() {
        return next == null;
    }

    private byte[] read() throws MessageReadException, PartialFinalLineException {
        // a piece that converts to nothing (only a CR waiting for what follows) is no chunk: "BDAT 0" would go out
        while (!ended) {
            byte[] buffer = new byte[chunkSize];
            int n;
            try {
                n = in.readNBytes(buffer, 0, chunkSize);
            } catch (IOException e) {
                throw new MessageReadException(e);
            }
            byte[] out = new byte[LineEnds.room(n)];
            int o = lineEnds.convert(buffer, n, out);
            if (n < chunkSize) {
                ended = true;
                o = lineEnds.finish(out, o);
            }
            if (o > 0) {
                return java.util.Arrays.copyOf(out, o);
            }
        }
        return null;
    }
}
