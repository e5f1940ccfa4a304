package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * How big a read buffer to start with: no bigger than what the stream says is left (a message file tells its
 * remaining length), so that a 1 KiB message is not read through 64 KiB arrays, each zeroed when allocated.
 * Readers that find the buffer filled grow it to their limit, so a stream that says too little is read
 * whole all the same, in more reads.
 */
final class BufferSize {
    /** The start for a stream that tells nothing (available() is 0 or fails). */
    static final int UNKNOWN = 8 * 1024;

    private BufferSize() {
    }

    /** Between 2 and {@code limit} bytes: what {@code in} has left and one more (so EOF shows), or {@link #UNKNOWN}. */
    static int forStream(InputStream in, int limit) {
        int left;
        try {
            left = in.available();
        } catch (IOException e) {
            left = 0;
        }
        long wanted = left > 0 ? left + 1L : UNKNOWN;
        return (int) Math.max(2, Math.min(limit, wanted));
    }
}
