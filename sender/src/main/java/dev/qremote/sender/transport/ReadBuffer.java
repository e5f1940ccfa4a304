package dev.qremote.sender.transport;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered input stream for the one thread that runs a session. Replies are read a byte at a time, and
 * the JDK's BufferedInputStream takes a lock on every call (in a resident qmail-rspawn that was a few per
 * cent of the CPU of a delivery); this one takes none and is not thread-safe. {@link #available()} counts
 * what is buffered and what the socket holds, as the reply discipline asks "has the server said something
 * unasked?".
 */
final class ReadBuffer extends InputStream {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    /** @param size the bytes read from {@code in} at most per call */
    ReadBuffer(InputStream in, int size) {
        this.in = in;
        this.buffer = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return in.read(b, off, len); // as large as the buffer: no copy through it
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    /** Reads once into the empty buffer; false at end of stream. */
    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false; // a socket stream never returns 0 for a non-empty request
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public int available() throws IOException {
        int buffered = limit - position;
        int waiting = in.available();
        return buffered > Integer.MAX_VALUE - waiting ? Integer.MAX_VALUE : buffered + waiting;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
