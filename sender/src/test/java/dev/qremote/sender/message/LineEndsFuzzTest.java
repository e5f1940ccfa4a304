package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qremote.sender.fuzz.FuzzedRandom;
import dev.qremote.sender.fuzz.SeededRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target "lineends": DotStuffer and Chunker (and LineEnds under them) on random bytes rich in '.', CR
 * and LF, read in random pieces. Unstuffing what DotStuffer wrote gives the input with every line end made
 * CRLF; no stuffed line is a lone '.'; Chunker's chunks, concatenated, give the same CRLF form, each chunk
 * non-empty and within its bound, only the last one marked last; and a message whose last line has no line
 * break is refused by both (the partial-final-line rule), an empty message by neither.
 */
@Tag("fuzz")
class LineEndsFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void lineEnds(FuzzedDataProvider data) throws Exception {
        check(new FuzzedRandom(data));
    }

    @Test
    void seededPass() {
        SeededRun.run("lineends", LineEndsFuzzTest::check, 2_000_000L, 400);
    }

    private static void check(RandomGenerator random) throws Exception {
        byte[] input = message(random);
        int piece = 1 + random.nextInt(random.nextBoolean() ? 8 : 70_000);
        int chunkSize = 1 + random.nextInt(random.nextBoolean() ? 16 : 70_000);
        String what = "input " + HexFormat.of().formatHex(input) + " read in pieces of " + piece + ", chunks of "
                + chunkSize;
        byte[] crlf = crlf(input);
        boolean partial = input.length > 0 && input[input.length - 1] != '\n' && input[input.length - 1] != '\r';

        ByteArrayOutputStream stuffed = new ByteArrayOutputStream();
        if (partial) {
            assertThatThrownBy(() -> DotStuffer.copy(pieces(input, piece), stuffed)).as(what)
                    .isInstanceOf(PartialFinalLineException.class);
        } else {
            assertThat(DotStuffer.copy(pieces(input, piece), stuffed)).as(what).isEqualTo(input.length);
            byte[] out = stuffed.toByteArray();
            assertThat(unstuff(out)).as(what + ": unstuffed").isEqualTo(crlf);
            for (String line : new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n", -1)) {
                assertThat(line).as(what + ": a line that would end DATA").isNotEqualTo(".");
            }
        }

        Chunker chunker = new Chunker(pieces(input, piece), chunkSize);
        if (partial) {
            assertThatThrownBy(() -> {
                while (chunker.next() != null) {
                    // read to the end
                }
            }).as(what).isInstanceOf(PartialFinalLineException.class);
            return;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        List<Boolean> lastMarks = new ArrayList<>();
        byte[] chunk;
        while ((chunk = chunker.next()) != null) {
            assertThat(chunk.length).as(what + ": chunk size").isBetween(1, LineEnds.room(chunkSize));
            lastMarks.add(chunker.wasLast());
            joined.writeBytes(chunk);
        }
        assertThat(joined.toByteArray()).as(what + ": chunks joined").isEqualTo(crlf);
        for (int i = 0; i < lastMarks.size(); i++) {
            assertThat(lastMarks.get(i)).as(what + ": chunk " + i + " marked last").isEqualTo(i == lastMarks.size() - 1);
        }
    }

    /** Mostly short, sometimes past DotStuffer's 64 KiB buffer; CR, LF and '.' frequent. */
    private static byte[] message(RandomGenerator random) {
        int length = random.nextInt(32) == 0 ? random.nextInt(140_000) : random.nextInt(64);
        byte[] alphabet = {'.', '.', '\r', '\n', '\n', 'a', ' '};
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int k = random.nextInt(alphabet.length + 1);
            out[i] = k < alphabet.length ? alphabet[k] : (byte) random.nextInt(256);
        }
        return out;
    }

    /** The reference line-end rule: CRLF, lone CR and lone LF each become CRLF. */
    private static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' || in[i] == '\n') {
                out.write('\r');
                out.write('\n');
                if (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** RFC 5321 4.5.2 from the receiving side: a line starting with '.' loses that '.'. */
    private static byte[] unstuff(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : in) {
            if (!(lineStart && b == '.')) {
                out.write(b);
            }
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    /** A stream that hands out at most {@code piece} bytes per read, so that CRs fall on piece boundaries. */
    private static InputStream pieces(byte[] data, int piece) {
        // a FilterInputStream, not a ByteArrayInputStream subclass: the latter's readNBytes trusts its own read
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }
}
