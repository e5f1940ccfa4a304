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

    /**
     * Long lines of every byte value but CR and LF, CR, LF and CRLF at every offset of the eight-byte scan,
     * read in any sizes: the pieces, joined with their line ends, give the input back, and a line ends
     * exactly where the input has its first CR or LF (a CRLF being one end).
     */
    @Test
    void linesOfAnyBytesEndAtTheirFirstLineBreakWhateverTheReads() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(2920);
        for (int round = 0; round < 2000; round++) {
            java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            int lines = 1 + random.nextInt(6);
            for (int l = 0; l < lines; l++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(3) == 0 ? random.nextInt(100) : random.nextInt(17);
                for (int i = 0; i < length; i++) {
                    int b = random.nextInt(256);
                    line.append((char) (b == '\r' || b == '\n' ? 0x8D : b));
                }
                String end = List.of("\n", "\r", "\r\n").get(random.nextInt(3));
                message.writeBytes((line + end).getBytes(StandardCharsets.ISO_8859_1));
                expected.add("[" + line + "|" + (end.equals("\n") ? "LF" : end.equals("\r") ? "CR" : "CRLF"));
            }
            byte[] input = message.toByteArray();
            List<String> got = pieces(input, 128, 1 + random.nextInt(random.nextBoolean() ? 5 : 200));
            // a lone CR then a line starting with LF would be a CRLF: only whole-input agreement is checked then
            StringBuilder joined = new StringBuilder();
            for (String piece : got) {
                String text = piece.substring(piece.startsWith("[") ? 1 : 0, piece.lastIndexOf('|'));
                String end = piece.substring(piece.lastIndexOf('|') + 1);
                joined.append(text).append(end.equals("LF") ? "\n" : end.equals("CR") ? "\r" : end.equals("CRLF") ? "\r\n" : "");
            }
            assertThat(joined.toString()).isEqualTo(new String(input, StandardCharsets.ISO_8859_1));
            if (!new String(input, StandardCharsets.ISO_8859_1).contains("\r\n") || expected.stream().allMatch(
                    e -> !e.endsWith("|CR"))) {
                assertThat(got).isEqualTo(expected);
            }
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
