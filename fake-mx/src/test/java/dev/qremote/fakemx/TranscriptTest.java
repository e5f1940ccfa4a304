package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Chunks in one direction join into one entry, in linear time: an 8 MiB message must not stall the server. */
class TranscriptTest {

    private static void add(Transcript t, Transcript.Direction d, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        t.add(d, b, 0, b.length);
    }

    @Test
    void consecutiveChunksJoinAndANoteOrTheOtherSideSplits() {
        Transcript t = new Transcript();
        add(t, Transcript.Direction.CLIENT, "EHLO a\r\n");
        add(t, Transcript.Direction.CLIENT, "MAIL FROM:<>\r\n");
        add(t, Transcript.Direction.SERVER, "250 ok\r\n");
        t.note("closed");
        add(t, Transcript.Direction.SERVER, "221 bye\r\n");
        assertThat(t.entries()).extracting(e -> e.direction() + ":" + new String(e.bytes(), StandardCharsets.ISO_8859_1))
                .containsExactly("CLIENT:EHLO a\r\nMAIL FROM:<>\r\n", "SERVER:250 ok\r\n", "NOTE:closed", "SERVER:221 bye\r\n");
        add(t, Transcript.Direction.SERVER, "more\r\n");
        assertThat(t.entries()).as("entries() may be asked for while the session goes on").hasSize(5);
    }

    @Test
    void aMessageOfManyLinesIsKeptUpToTheCapQuickly() {
        Transcript t = new Transcript();
        byte[] line = ("x".repeat(70) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        long start = System.nanoTime();
        for (int i = 0; i < 8 * 1024 * 1024 / line.length; i++) {
            t.add(Transcript.Direction.CLIENT, line, 0, line.length);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("joining 1 MiB line by line, then counting")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(t.sentBy(Transcript.Direction.CLIENT)).hasSize(Transcript.CAP / line.length * line.length);
        assertThat(t.render()).endsWith(" more bytes not kept\n");
    }
}
