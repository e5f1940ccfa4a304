package dev.qremote.sender.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes out when {@link java.io.BufferedOutputStream} of {@code limit} bytes would, with a buffer that starts
 * small and grows only as far as the writes need: commands and a small message take a few KiB, while a
 * buffer of the full size, allocated and zeroed per connection, was the biggest allocation of a small
 * delivery. Not thread-safe (one connection's writer).
 */
final class GrowingBufferedOutputStream extends FilterOutputStream {
    private final int limit;
    private byte[] buffer;
    private int count;

    /**
     * @param initial the first buffer's size in bytes, at least 1
     * @param limit the most bytes held before they are written; a write of this many or more goes straight out
     */
    GrowingBufferedOutputStream(OutputStream out, int initial, int limit) {
        super(out);
        if (initial < 1 || limit < initial) {
            throw new IllegalArgumentException("need 1 <= initial <= limit: " + initial + ", " + limit);
        }
        this.limit = limit;
        this.buffer = new byte[initial];
    }

    @Override
    public void write(int b) throws IOException {
        if (count >= limit) {
            flushBuffer();
        }
        room(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= limit) {
            flushBuffer();
            out.write(b, off, len);
            return;
        }
        if (len > limit - count) {
            flushBuffer();
        }
        room(count + len);
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    private void room(int needed) {
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(needed, 2L * buffer.length)));
        }
    }
}
