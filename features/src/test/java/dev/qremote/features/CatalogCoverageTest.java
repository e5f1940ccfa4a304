package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.sender.report.ReportTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every report text of the catalog must be expected, byte for byte, by some feature: that is how "every
 * report string is proven end to end" is kept true as the catalog grows. A placeholder in a template
 * ({host}, {ip}, {detail}, {remote}) matches any text.
 */
class CatalogCoverageTest {
    /** Entries no feature can reach on purpose, each with the reason. */
    private static final Map<ReportTemplate, String> UNREACHABLE = Map.of(
            ReportTemplate.INTERNAL_ERROR, "only a defect in qmail-remote itself leads there",
            ReportTemplate.SYSTEM_RESOURCES, "needs the kernel to refuse a socket or the interface list",
            ReportTemplate.AUTH_NEEDS_TLS, "needs a peer that is not this machine (DeliveryEngineTest covers it)",
            ReportTemplate.TLS_CONTEXT, "the JDK's TLS fails to initialise only in a broken installation",
            ReportTemplate.SPAWN_CANNOT_FSTAT, "needs the file to vanish between its open and the look after it (a race)",
            ReportTemplate.SPAWN_CANNOT_FORK, "needs the JVM to refuse a new thread",
            ReportTemplate.REMOTE_CRASHED, "resident: only when even the report of a failure fails",
            ReportTemplate.REMOTE_NO_OUTPUT, "resident: every delivery ends in a report (ReportTranslationTest covers empty output)");

    @Test
    void everyReportTextIsExpectedByAFeature() throws IOException {
        List<String> expectations = featureLines();
        Set<ReportTemplate> missing = EnumSet.noneOf(ReportTemplate.class);
        for (ReportTemplate template : ReportTemplate.values()) {
            if (UNREACHABLE.containsKey(template)) {
                continue;
            }
            Pattern pattern = patternOf(template);
            if (expectations.stream().noneMatch(line -> pattern.matcher(line).find())) {
                missing.add(template);
            }
        }
        assertThat(missing).as("catalog entries that no .feature expects").isEmpty();
    }

    @Test
    void theExemptionsAreStillInTheCatalog() {
        assertThat(EnumSet.allOf(ReportTemplate.class)).containsAll(UNREACHABLE.keySet());
    }

    /** The template as it appears in a feature: letter, text with escapes, NUL; placeholders match anything. */
    private static Pattern patternOf(ReportTemplate template) {
        String visible = ReportText.visible((template.letter() + template.template() + '\0')
                .getBytes(StandardCharsets.ISO_8859_1)).strip();
        StringBuilder regex = new StringBuilder();
        for (String part : visible.split("\\{(host|ip|mx|detail|remote|report)}", -1)) {
            if (regex.length() > 0) {
                regex.append(".*?");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** Every line of every feature file, with escaped report lines as they are written there. */
    private static List<String> featureLines() throws IOException {
        Path root = Path.of("src/test/resources/features");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String text = line.strip();
                    // a "report is"/"starts with" step holds several reports on one line: split at each NUL
                    for (String report : text.split("(?<=\\\\0)")) {
                        lines.add(stripQuotes(report));
                    }
                }
            }
        }
        return lines;
    }

    private static String stripQuotes(String s) {
        int quote = s.indexOf('"');
        return quote >= 0 && s.indexOf("\\0") > quote ? s.substring(quote + 1) : s;
    }
}
