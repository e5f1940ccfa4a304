package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static List<String> chunks(String input, int size) throws Exception {
        Chunker chunker = new Chunker(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), size);
        List<String> out = new ArrayList<>();
        byte[] chunk;
        while ((chunk = chunker.next()) != null) {
            out.add(new String(chunk, StandardCharsets.ISO_8859_1) + (chunker.wasLast() ? "|LAST" : ""));
        }
        return out;
    }

    @Test
    void crlfWithoutDotStuffing() throws Exception {
        assertThat(chunks("a\n.b\r\nc\rd\n", 100)).containsExactly("a\r\n.b\r\nc\r\nd\r\n|LAST");
    }

    @Test
    void aCrAtTheEndOfAChunkWaitsForWhatFollows() throws Exception {
        assertThat(chunks("ab\r\ncd\n", 3)).containsExactly("ab", "\r\ncd", "\r\n|LAST");
        assertThat(String.join("", chunks("ab\r\ncd\n", 3)).replace("|LAST", "")).isEqualTo("ab\r\ncd\r\n");
    }

    @Test
    void anExactMultipleEndsWithItsLastFullChunk() throws Exception {
        assertThat(chunks("abc\n", 4)).containsExactly("abc\r\n|LAST");
    }

    @Test
    void emptyAndPartial() throws Exception {
        assertThat(chunks("", 4)).isEmpty();
        assertThatThrownBy(() -> chunks("abc\nno end", 4)).isInstanceOf(PartialFinalLineException.class);
    }

    /** Found by LineEndsFuzzTest (seed 2000068): a chunk that is only a waiting CR went out as "BDAT 0". */
    @Test
    void aChunkHoldingOnlyAWaitingCrIsNeverSentEmpty() throws Exception {
        assertThat(chunks("a\rb\n", 1)).containsExactly("a", "\r\nb", "\r\n|LAST");
        assertThat(chunks("{\ra a.\n", 1)).doesNotContain("").allSatisfy(c -> assertThat(c).isNotEmpty());
    }
}
