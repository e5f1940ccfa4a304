package dev.qremote.sender.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawArgumentsTest {

    private static byte[] cmdline(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.writeBytes(e);
            out.write(0);
        }
        return out.toByteArray();
    }

    @Test
    void eightBitBytesSurviveOneCharPerByte() {
        byte[] raw = cmdline("java".getBytes(), "-jar".getBytes(), "x.jar".getBytes(), "example.test".getBytes(),
                "".getBytes(), new byte[] {'m', (byte) 0xe4, 'x', '@', 'e'});
        assertThat(RawArguments.fromCmdline(raw, new String[] {"example.test", "", "m?x@e"}))
                .containsExactly("example.test", "", "m\u00e4x@e");
    }

    @Test
    void utf8BytesStayBytes() {
        byte[] utf8 = "j\u00f6rg@x".getBytes(StandardCharsets.UTF_8);
        assertThat(RawArguments.fromCmdline(cmdline("java".getBytes(), utf8), new String[] {"j\uFFFDrg@x"}))
                .containsExactly(new String(utf8, StandardCharsets.ISO_8859_1));
    }

    @Test
    void somethingElseIsNotTaken() {
        assertThat(RawArguments.fromCmdline(cmdline("java".getBytes(), "other".getBytes()), new String[] {"a", "b", "c"}))
                .containsExactly("a", "b", "c");
        assertThat(RawArguments.fromCmdline(cmdline("java".getBytes(), "zzzz".getBytes()), new String[] {"host.test"}))
                .containsExactly("host.test");
    }
}
