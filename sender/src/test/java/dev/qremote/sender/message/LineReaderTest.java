package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines in pieces: every line end kind, split across reads, and lines longer than the buffer. */
class LineReaderTest {

    /** Each piece as "[" when it starts a line, its text, and its line end by name. */
    private static List<String> pieces(byte[] input, int buffer, int readSize) throws IOException {
        InputStream trickle = new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
        LineReader reader = new LineReader(trickle, buffer);
        List<String> out = new ArrayList<>();
        while (reader.next()) {
            out.add((reader.lineStart() ? "[" : "") + new String(reader.buffer(), reader.start(), reader.length(),
                    StandardCharsets.ISO_8859_1) + "|" + reader.end());
        }
        return out;
    }

    @Test
    void everyLineEndIsALineEndAndIsKept() throws IOException {
        byte[] input = "a\nb\r\nc\rd".getBytes(StandardCharsets.US_ASCII);
        for (int read = 1; read <= input.length; read++) {
            assertThat(pieces(input, 64, read)).as("reads of %d", read)
                    .containsExactly("[a|LF", "[b|CRLF", "[c|CR", "[d|NONE");
        }
    }

    @Test
    void aCrlfSplitAtTheBufferEdgeIsOneLineEnd() throws IOException {
        assertThat(pieces("abc\r\nd\n".getBytes(StandardCharsets.US_ASCII), 5, 1))
                .containsExactly("[abc|CRLF", "[d|LF");
    }

    @Test
    void aLongLineComesInBufferSizedPieces() throws IOException {
        assertThat(pieces("0123456789\nx\r".getBytes(StandardCharsets.US_ASCII), 4, 3))
                .containsExactly("[0123|NONE", "4567|NONE", "89|LF", "[x|CR");
    }

    /** A stream that says it has almost nothing left: the reader must still take a line up to its limit whole. */
    private static List<String> piecesFromAModestStream(byte[] input, int buffer) throws IOException {
        InputStream modest = new ByteArrayInputStream(input) {
            @Override
            public synchronized int available() {
                return Math.min(1, super.available());
            }
        };
        LineReader reader = new LineReader(modest, buffer);
        List<String> out = new ArrayList<>();
        while (reader.next()) {
            out.add((reader.lineStart() ? "[" : "") + new String(reader.buffer(), reader.start(), reader.length(),
                    StandardCharsets.ISO_8859_1) + "|" + reader.end());
        }
        return out;
    }

    @Test
    void aBufferStartedSmallGrowsBeforeItCutsALine() throws IOException {
        String line = "x".repeat(5000);
        byte[] input = ("a\n" + line + "\r\n" + line + line + "\n").getBytes(StandardCharsets.US_ASCII);
        List<String> pieces = piecesFromAModestStream(input, 8192);
        assertThat(pieces).isEqualTo(pieces(input, 8192, 8192));
        assertThat(pieces).extracting(p -> p.length()).containsExactly(
                "[a|LF".length(), "[|CRLF".length() + 5000, "[|NONE".length() + 8192, "|LF".length() + 1808);
    }

    @Test
    void emptyLinesAreSeen() throws IOException {
        assertThat(pieces("\n\r\n\r".getBytes(StandardCharsets.US_ASCII), 8, 8))
                .containsExactly("[|LF", "[|CRLF", "[|CR");
    }
}
