package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The repository's docker-compose.yml, run as the README says (docker-compose 1.29, the JRE image from
 * bench/containers/build, the jars of this build): fake-dns, two fake MXes and one delivery through
 * bin/qmail-remote, all with host networking on the file's fixed 127.0.0.x addresses. Its output must hold
 * the sender's reports: mx1 (127.0.0.25) took the 41 bytes of the CRLF message. The addresses are fixed, so
 * runs on one machine take turns (a lock file in the temporary directory). Skipped, with the reason, where
 * docker-compose, the engine, the image or the jars are missing.
 */
class ComposeBenchTest {
    private static final String IMAGE = "qremote/jre:bookworm";
    private static final long LIMIT_SECONDS = 240;

    @Test
    void theComposeBenchDeliversThroughQmailRemote() throws Exception {
        needs();
        Path root = SpawnDriver.ROOT;
        String project = "qremote-bench-test-" + ProcessHandle.current().pid();
        Path output = Files.createTempFile("compose-bench", ".log");
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "qremote-compose-bench.lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            int status;
            try {
                status = compose(root, output, project, "up", "--no-color", "--exit-code-from", "sender");
            } finally {
                Path down = Files.createTempFile("compose-down", ".log");
                compose(root, down, project, "down");
                Files.delete(down);
            }
            String shown = Files.readString(output, StandardCharsets.ISO_8859_1);
            assertThat(status).as("docker-compose's exit status (the sender's); its output:\n%s", shown).isZero();
            assertThat(shown.lines().filter(line -> line.startsWith("sender_1 ")).map(ComposeBenchTest::text))
                    .as("the sender's lines; all output:\n%s", shown)
                    .containsExactly("r", "K127.0.0.25 accepted message.", "Remote host said: 250 2.0.0 ok 41 bytes", "");
            assertThat(shown).contains("fake-dns listening on 127.0.0.153:53")
                    .contains("fake-mx listening on 127.0.0.25:25").contains("fake-mx listening on 127.0.0.26:25");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A log line's text after compose's "service_1  | " prefix. */
    private static String text(String line) {
        int bar = line.indexOf("| ");
        return bar < 0 ? line.substring(line.indexOf('|') + 1) : line.substring(bar + 2);
    }

    private static int compose(Path root, Path output, String project, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("docker-compose " + String.join(" ", args) + " took over " + LIMIT_SECONDS
                    + " s; its output:\n" + Files.readString(output, StandardCharsets.ISO_8859_1));
        }
        return process.exitValue();
    }

    private static void needs() {
        String reason = null;
        try {
            Process version = new ProcessBuilder("docker-compose", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!version.waitFor(60, TimeUnit.SECONDS) || version.exitValue() != 0) {
                reason = "docker-compose does not run (Debian's docker-compose package; .ci/run installs it)";
            }
        } catch (IOException | InterruptedException e) {
            reason = "no docker-compose (Debian's docker-compose package; .ci/run installs it)";
        }
        for (String jar : List.of("sender/target/qmail-remote.jar", "fake-dns/target/fake-dns.jar",
                "fake-mx/target/fake-mx.jar")) {
            if (reason == null && !Files.isReadable(SpawnDriver.ROOT.resolve(jar))) {
                reason = jar + " is not built (./mvnw -B package -DskipTests)";
            }
        }
        if (reason != null) {
            System.err.println("containers: test skipped: " + reason);
            Assumptions.abort(reason);
        }
        ContainerEngine.assumeImage(IMAGE);
    }
}
