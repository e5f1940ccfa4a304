package dev.qremote.sender.attemptlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void quotesBackslashesControlBytesAndNonAsciiAreEscapedAndTheLineIsAscii() {
        String nasty = "a\"b\\c\r\nd\0e\u007ff\u00e9\u20ac\ud83d\ude00";
        byte[] line = new JsonLine().field("s", nasty).field("n", 42).field("b", true).field("z", (String) null)
                .strings("list", List.of("x", "\t")).bytes();
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        String text = new String(line, StandardCharsets.US_ASCII);
        assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n", "\r", "\0");
        for (byte b : line) {
            assertThat(b).isBetween((byte) 0x0a, (byte) 0x7e);
        }
        Map<String, Object> parsed = JsonParser.object(text.trim());
        assertThat(parsed).containsEntry("s", nasty).containsEntry("n", 42L).containsEntry("b", true)
                .containsEntry("z", null).containsEntry("list", List.of("x", "\t"));
    }

    @Test
    void bytesCarriedAsCharsAreReadAsUtf8() {
        String utf8Bytes = new String("jörg@例え.test".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String invalid = "\u00ff\u00fe";
        Map<String, Object> parsed = JsonParser.object(new String(new JsonLine().field("a", utf8Bytes)
                .field("b", invalid).bytes(), StandardCharsets.US_ASCII).trim());
        assertThat(parsed).containsEntry("a", "jörg@例え.test").containsEntry("b", "\ufffd\ufffd");
    }

    @Test
    void anObjectOfStringsOrNull() {
        assertThat(new JsonLine().object("o", "a", "x\"", "b", null).object("n", (String[]) null).toString())
                .isEqualTo("{\"o\":{\"a\":\"x\\\"\",\"b\":null},\"n\":null}");
    }
}
