package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotStufferTest {

    /** Golden cases: notqmail's blast() tests plus the CR and chunk-boundary cases of this encoder. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty                 | ''                  | ''",
        "lone dot line         | .\\n                | ..\\r\\n",
        "dot line with CRLF    | .\\r\\n             | ..\\r\\n",
        "lone CR, lone LF      | cr\\rlf\\n          | cr\\r\\nlf\\r\\n",
        "CRLF kept             | a\\r\\nb\\r\\n      | a\\r\\nb\\r\\n",
        "CR CR LF              | a\\r\\r\\n          | a\\r\\n\\r\\n",
        "dot after lone CR     | a\\r.b\\n           | a\\r\\n..b\\r\\n",
        "dots inside lines     | a.b\\n..c\\n        | a.b\\r\\n...c\\r\\n",
        "ends with lone CR     | x\\r                | x\\r\\n",
    })
    void encodes(String name, String input, String expected) throws Exception {
        assertThat(encode(unescape(input))).isEqualTo(unescape(expected));
    }

    @Test
    void aPartialFinalLineIsRefused() {
        assertThatThrownBy(() -> encode("Subject: x\n\nno newline")).isInstanceOf(PartialFinalLineException.class);
    }

    @Test
    void aCrLfSplitAcrossReadsStaysOneLineBreak() throws Exception {
        InputStream trickle = new InputStream() {
            private final byte[] data = "a\r\n.b\r\n".getBytes(StandardCharsets.ISO_8859_1);
            private int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= data.length) {
                    return -1;
                }
                b[off] = data[i++];
                return 1;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer.copy(trickle, out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("a\r\n..b\r\n");
    }

    @Test
    void aReadErrorIsNotANetworkError() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("EISDIR");
            }
        };
        assertThatThrownBy(() -> DotStuffer.copy(broken, new ByteArrayOutputStream()))
                .isInstanceOf(MessageReadException.class);
    }

    @Test
    void longMessagesStreamInBoundedBuffers() throws Exception {
        byte[] line = ".0123456789abcdef\n".getBytes(StandardCharsets.ISO_8859_1);
        int lines = 200_000;
        InputStream big = new InputStream() {
            private long position;

            @Override
            public int read() {
                if (position >= (long) line.length * lines) {
                    return -1;
                }
                return line[(int) (position++ % line.length)];
            }
        };
        CountingStream out = new CountingStream();
        long read = DotStuffer.copy(big, out);
        assertThat(read).isEqualTo((long) line.length * lines);
        assertThat(out.count).isEqualTo((long) (line.length + 2) * lines);
    }

    private static String encode(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer.copy(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    private static final class CountingStream extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Test
    void aStreamThatSaysTooLittleIsStillSentWhole() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append(i % 10 == 0 ? ".dot line " : "line ").append(i).append('\n');
        }
        byte[] input = text.toString().getBytes(StandardCharsets.US_ASCII);
        InputStream modest = new ByteArrayInputStream(input) {
            @Override
            public synchronized int available() {
                return Math.min(3, super.available());
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long read = DotStuffer.copy(modest, out);
        assertThat(read).isEqualTo(input.length);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(encode(text.toString()));
    }
}
