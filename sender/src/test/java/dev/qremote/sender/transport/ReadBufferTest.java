package dev.qremote.sender.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReadBufferTest {
    /** A stream that hands out at most {@code piece} bytes per call, and says so in available(). */
    private static InputStream pieces(byte[] bytes, int piece) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    @Test
    void bytesComeOutInOrderWhateverTheMixOfSingleAndBlockReads() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(0, 20_000)];
            random.nextBytes(bytes);
            ReadBuffer in = new ReadBuffer(pieces(bytes, random.nextInt(1, 5000)), random.nextInt(1, 9000));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (random.nextBoolean()) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    out.write(c);
                } else {
                    byte[] b = new byte[random.nextInt(1, 12_000)];
                    int n = in.read(b, 0, b.length);
                    if (n < 0) {
                        break;
                    }
                    assertThat(n).isPositive();
                    out.write(b, 0, n);
                }
            }
            assertThat(out.toByteArray()).isEqualTo(bytes);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void availableCountsTheBufferAndWhatTheSourceHolds() throws IOException {
        ReadBuffer in = new ReadBuffer(pieces("250 ok\r\n421 bye\r\n".getBytes(), 8), 4096);
        assertThat(in.available()).isEqualTo(17);
        assertThat((char) in.read()).isEqualTo('2');
        assertThat(in.available()).as("7 buffered, 9 still in the source").isEqualTo(16);
        assertThat(in.read(new byte[7], 0, 7)).isEqualTo(7);
        assertThat(in.available()).isEqualTo(9);
        assertThat(in.read(new byte[0], 0, 0)).isZero();
    }
}
