package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns a message into the SMTP DATA body (RFC 5321 2.3.8, 4.5.2): CRLF stays CRLF, a lone LF or a lone CR
 * becomes CRLF, and a line starting with '.' gets another '.'. The terminating ".CRLF" is the caller's, so
 * the caller knows the exact moment the message became final. Streams in bounded buffers (no bigger than the
 * message, at most 64 KiB): memory does not grow with the message.
 */
public final class DotStuffer {
    private static final int BUFFER = 64 * 1024;

    private DotStuffer() {
    }

    /**
     * Copies {@code in} to {@code out}, encoded. Returns the number of message bytes read.
     *
     * @throws PartialFinalLineException when the last line has no line break (nothing more is written)
     * @throws MessageReadException when reading {@code in} fails
     * @throws IOException when writing {@code out} fails
     */
    public static long copy(InputStream in, OutputStream out)
            throws PartialFinalLineException, MessageReadException, IOException {
        byte[] src = new byte[BufferSize.forStream(in, BUFFER)];
        byte[] dst = new byte[LineEnds.room(src.length)];
        LineEnds lineEnds = new LineEnds(true);
        long total = 0;
        int n;
        while ((n = read(in, src)) >= 0) {
            total += n;
            out.write(dst, 0, lineEnds.convert(src, n, dst));
            if (n == src.length && src.length < BUFFER) {
                src = new byte[BUFFER]; // more than the stream said: go on in full-sized pieces
                dst = new byte[LineEnds.room(BUFFER)];
            }
        }
        out.write(dst, 0, lineEnds.finish(dst, 0));
        return total;
    }

    private static int read(InputStream in, byte[] buffer) throws MessageReadException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }
}
