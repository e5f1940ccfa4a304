package dev.qremote.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every page in man/ renders without a single message from {@code mandoc -Tlint} (style notes included),
 * or, where mandoc is missing, from {@code groff -ww -z -man}. With neither the test is skipped, and says so
 * (.ci/run installs mandoc).
 */
class ManPagesLintTest {
    static final Path MAN = Path.of("../man");

    @Test
    void theSixPagesAreThere() throws IOException {
        assertThat(pages()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "qmail-remote.8", "qmail-rspawn.8", "qmail-remote-check.8", "tlsrpt.8", "fake-dns.1", "fake-mx.1");
    }

    @Test
    void everyPageRendersWithoutWarnings() throws Exception {
        Optional<Path> mandoc = onPath("mandoc");
        Optional<Path> groff = onPath("groff");
        Assumptions.assumeTrue(mandoc.isPresent() || groff.isPresent(),
                "neither mandoc nor groff is installed (Debian: apt-get install mandoc): man pages not linted");
        for (Path page : pages()) {
            List<String> command = mandoc.isPresent() ? List.of(mandoc.get().toString(), "-Tlint", page.toString())
                    : List.of(groff.get().toString(), "-ww", "-z", "-man", page.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(said).as(String.join(" ", command)).isEmpty();
            assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        }
    }

    static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(MAN)) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.[1-8]")).sorted().toList();
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
