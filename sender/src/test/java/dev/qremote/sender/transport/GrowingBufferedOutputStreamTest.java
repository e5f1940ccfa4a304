package dev.qremote.sender.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The growing buffer writes out exactly what a full-sized BufferedOutputStream writes, call for call. */
class GrowingBufferedOutputStreamTest {

    /** Every write reaching the socket side, as its bytes; a flush as the marker "flush". */
    private static final class Calls extends OutputStream {
        final List<String> seen = new ArrayList<>();

        @Override
        public void write(int b) {
            seen.add("byte " + b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            seen.add(Arrays.toString(Arrays.copyOfRange(b, off, off + len)));
        }

        @Override
        public void flush() {
            seen.add("flush");
        }
    }

    @Test
    void writesOutWhenAFullSizedBufferWould() throws IOException {
        int limit = 64;
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Calls expected = new Calls();
            Calls actual = new Calls();
            OutputStream full = new BufferedOutputStream(expected, limit);
            OutputStream growing = new GrowingBufferedOutputStream(actual, 1 + random.nextInt(8), limit);
            for (int step = 0; step < 60; step++) {
                int what = random.nextInt(10);
                if (what == 0) {
                    full.flush();
                    growing.flush();
                } else if (what < 3) {
                    int b = random.nextInt(256);
                    full.write(b);
                    growing.write(b);
                } else {
                    byte[] bytes = new byte[random.nextInt(2 * limit)];
                    random.nextBytes(bytes);
                    int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
                    int len = random.nextInt(bytes.length - off + 1);
                    full.write(bytes, off, len);
                    growing.write(bytes, off, len);
                }
            }
            full.flush();
            growing.flush();
            assertThat(actual.seen).as("seed %d", seed).isEqualTo(expected.seen);
        }
    }

    @Test
    void aWriteOfTheLimitGoesStraightOutAfterWhatWasHeld() throws IOException {
        Calls calls = new Calls();
        OutputStream out = new GrowingBufferedOutputStream(calls, 2, 4);
        out.write(new byte[] {1, 2, 3});
        out.write(new byte[] {4, 5, 6, 7});
        assertThat(calls.seen).containsExactly("[1, 2, 3]", "[4, 5, 6, 7]");
    }
}
