package dev.qremote.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/bench --resident} with tiny counts, so that the mode cannot rot: every path it measures delivers
 * and is checked. No figure is asserted; the machine decides those.
 */
@Timeout(300)
class ResidentBenchmarkTest {
    @Test
    void drivesTheResidentAndThePerProcessPathAndChecksEveryDelivery() throws Exception {
        ResidentBenchmark.Options o = new ResidentBenchmark.Options();
        o.sizes = List.of("1k", "100k");
        o.concurrencies = List.of(1, 3);
        o.count = 6;
        o.processCount = 2;
        o.notqmail = null;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<ResidentBenchmark.Line> lines = ResidentBenchmark.run(o, Path.of(""),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("C qmail-rspawn + C qmail-remote: skipped (no notqmail build named")
                .contains("every line checked").doesNotContain("MISMATCH");
        assertThat(lines).hasSize(2 * 2 * 2);
        assertThat(lines).filteredOn(l -> l.path().contains("resident")).hasSize(4)
                .allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(6));
        assertThat(lines).filteredOn(l -> l.path().contains("per process")).hasSize(4)
                .allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(2));
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.k()).as(l.toString()).isEqualTo(l.deliveries());
            assertThat(l.sinkAccepted()).as(l.toString()).isEqualTo(l.deliveries());
            assertThat(l.cpuMs()).as(l.toString()).isGreaterThanOrEqualTo(0);
        });
        assertThat(lines).filteredOn(l -> l.path().contains("resident"))
                .allSatisfy(l -> assertThat(l.rssKb()).as("VmHWM read").isPositive());
    }

    /** C qmail-rspawn's letter for qmail-remote's reports, as its report() decides it. */
    @Test
    void lettersAsCQmailRspawnDecidesThem() {
        assertThat(ResidentBenchmark.letter(ReportText.bytes("r\\0Kok\\0"))).isEqualTo('K');
        assertThat(ResidentBenchmark.letter(ReportText.bytes("h\\0Dgiving up\\0"))).isEqualTo('D');
        assertThat(ResidentBenchmark.letter(ReportText.bytes("s\\0Kok\\0"))).isEqualTo('Z');
        assertThat(ResidentBenchmark.letter(ReportText.bytes("Ztemp\\0"))).isEqualTo('Z');
        assertThat(ResidentBenchmark.letter(ReportText.bytes("r\\0"))).isEqualTo('D');
    }
}
