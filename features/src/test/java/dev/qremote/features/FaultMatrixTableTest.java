package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README shows the fault matrix; the feature runs it. They must say the same, row for row. */
class FaultMatrixTableTest {
    private static final Path FEATURE = Path.of("src/test/resources/features/smtp/fault-matrix.feature");
    private static final Path README = Path.of("../README.md");

    @Test
    void theReadmeTableIsTheFeaturesExamples() throws IOException {
        List<List<String>> feature = new ArrayList<>();
        boolean inExamples = false;
        for (String line : Files.readAllLines(FEATURE)) {
            inExamples |= line.strip().equals("Examples:");
            if (inExamples && line.strip().startsWith("|")) {
                feature.add(cells(line));
            }
        }
        List<List<String>> readme = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("<!-- fault-matrix rows")) {
                inTable = true;
            } else if (line.startsWith("<!-- end of fault-matrix rows")) {
                inTable = false;
            } else if (inTable && line.startsWith("|") && !line.startsWith("|---")) {
                readme.add(cells(line.replace("`", "")));
            }
        }
        assertThat(feature).as("the feature's Examples").hasSizeGreaterThan(100);
        assertThat(readme.subList(1, readme.size())).as("the README's rows, below its header")
                .isEqualTo(feature.subList(1, feature.size()));
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.length() - 1);
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }
}
