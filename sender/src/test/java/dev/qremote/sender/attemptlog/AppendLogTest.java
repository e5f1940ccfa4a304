package dev.qremote.sender.attemptlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole lines from many writers at once, rotation by move-and-create, and failures that only say false. */
class AppendLogTest {
    @TempDir
    Path dir;

    /**
     * A full disk cut a line short, and the LF meant to end it could not be written either: the next line,
     * written once space came back, was glued to the fragment and jq failed on the whole file. A file that
     * does not end with LF now gets one before the next line, whoever cut it (another process too).
     */
    @Test
    void aLineCutShortIsEndedBeforeTheNextOne() throws Exception {
        for (boolean kept : new boolean[] {false, true}) {
            Path file = dir.resolve("cut-" + kept + ".json");
            Files.writeString(file, "{\"a\":1}\n{\"b\":\"au", StandardCharsets.US_ASCII);
            try (AppendLog log = kept ? AppendLog.kept() : AppendLog.unkept()) {
                assertThat(log.append(file, "{\"c\":3}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
                assertThat(log.append(file, "{\"d\":4}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            }
            assertThat(Files.readAllLines(file)).as("kept " + kept)
                    .containsExactly("{\"a\":1}", "{\"b\":\"au", "{\"c\":3}", "{\"d\":4}");
        }
    }

    /**
     * A line cut short (a full disk; here the file-size limit, which makes write(2) short the same way) was
     * left as a fragment, and jq stopped at it for the rest of the file: it is cut off again. A JVM of its own
     * runs under "ulimit -f 1" (1024 bytes), the file holding 1000 bytes of a line before.
     */
    @Test
    void aLineCutShortIsCutOffSoThatEveryLineParses() throws Exception {
        Path file = dir.resolve("limited.json");
        String before = "{\"p\":\"" + "x".repeat(1000 - 9) + "\"}\n";
        Files.writeString(file, before, StandardCharsets.US_ASCII);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -f 1; exec \"$0\" -XX:-UsePerfData -cp \"$1\" \"$2\" \"$3\"",
                java, System.getProperty("java.class.path"), Cut.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("false\n");
        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).as("the fragment cut off").isEqualTo(before);
        assertThat(AppendLog.unkept().append(file, "{\"n\":2}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            JsonParser.object(line);
        }
    }

    /** Appends a 100-byte line to the file named, and says whether it went whole. */
    public static final class Cut {
        public static void main(String[] args) {
            String line = "{\"n\":\"" + "y".repeat(100 - 9) + "\"}\n";
            System.out.println(AppendLog.unkept().append(Path.of(args[0]), line.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void manyThreadsWriteWholeLinesThatEachParse() throws Exception {
        Path file = dir.resolve("delivery.json");
        int threads = 8;
        int each = 300;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AppendLog kept = AppendLog.kept()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                // half write through the kept log, half open the file per line (as other processes would)
                AppendLog log = t % 2 == 0 ? kept : AppendLog.unkept();
                done.add(pool.submit(() -> {
                    start.await();
                    int written = 0;
                    for (int i = 0; i < each; i++) {
                        // lengths from a few bytes to well past PIPE_BUF and a page
                        String padding = "x\"\\\n".repeat((thread * 131 + i * 17) % 3000);
                        byte[] line = new JsonLine().field("thread", thread).field("i", i).field("pad", padding)
                                .bytes();
                        written += log.append(file, line) ? 1 : 0;
                    }
                    return written;
                }));
            }
            start.countDown();
            for (Future<Integer> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(each);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(threads * each);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            Map<String, Object> parsed = JsonParser.object(line);
            assertThat(seen.add(parsed.get("thread") + "/" + parsed.get("i"))).isTrue();
        }
    }

    @Test
    void aKeptLogFollowsTheFileWhenItIsMovedAndRecreated() throws Exception {
        Path file = dir.resolve("delivery.json");
        try (AppendLog log = AppendLog.kept()) {
            assertThat(log.append(file, "{\"n\":1}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            Files.move(file, dir.resolve("delivery.json.1"));
            Files.writeString(file, "");
            assertThat(log.append(file, "{\"n\":2}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            Files.move(file, dir.resolve("delivery.json.2"));
            assertThat(log.append(file, "{\"n\":3}\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        }
        assertThat(Files.readString(dir.resolve("delivery.json.1"))).isEqualTo("{\"n\":1}\n");
        assertThat(Files.readString(dir.resolve("delivery.json.2"))).isEqualTo("{\"n\":2}\n");
        assertThat(Files.readString(file)).isEqualTo("{\"n\":3}\n");
    }

    @Test
    void aFileThatCannotBeOpenedIsFalseNeverAnException() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        try (AppendLog log = AppendLog.kept()) {
            assertThat(log.append(plain.resolve("below"), "{}\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
            assertThat(log.append(dir, "{}\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        }
        assertThat(AppendLog.unkept().append(dir.resolve("missing/x"), "{}\n".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    /** A FIFO named as the log would block the open until a reader came, and every delivery behind it. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoIsNoLogAndBlocksNothing() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (AppendLog log = AppendLog.kept()) {
            assertThat(log.append(fifo, "{}\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        }
        assertThat(AppendLog.unkept().append(fifo, "{}\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
