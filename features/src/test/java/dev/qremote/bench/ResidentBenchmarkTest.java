package dev.qremote.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/bench --resident} with tiny counts, so that the mode cannot rot: every path it measures delivers
 * and is checked, against fake-mx and (when Debian's postfix is installed) smtp-sink; msmtp's line runs when
 * msmtp is installed and is skipped visibly otherwise. No figure is asserted; the machine decides those.
 */
@Timeout(300)
class ResidentBenchmarkTest {
    private List<ResidentBenchmark.Line> lines;

    @Test
    void drivesEveryPathAgainstEverySinkAndChecksEveryDelivery() throws Exception {
        ResidentBenchmark.Options o = new ResidentBenchmark.Options();
        o.sizes = List.of("1k", "100k");
        o.concurrencies = List.of(1, 3);
        o.count = 6;
        o.processCount = 2;
        o.msmtpCount = 2;
        o.sinkAlone = List.of("100k");
        o.notqmail = null;
        String out = run(o);

        assertThat(out).contains("every line checked").doesNotContain("MISMATCH");
        boolean smtpSink = Files.isExecutable(PostfixSmtpSink.DEFAULT_BINARY);
        boolean msmtp = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "msmtp")));
        // per sink: 2 sizes x 2 concurrencies x (2 resident + C + per-process + msmtp), and 2 sink-alone lines
        assertThat(lines).filteredOn(l -> l.sink().equals("fake-mx")).hasSize(22);
        if (smtpSink) {
            assertThat(lines).filteredOn(l -> l.sink().equals("smtp-sink")).hasSize(22);
        } else {
            assertThat(lines).filteredOn(l -> l.sink().equals("smtp-sink")).hasSize(4)
                    .allSatisfy(l -> assertThat(l.firstFailure()).contains("skipped: ").contains("not installed"));
        }
        List<ResidentBenchmark.Line> ran = lines.stream().filter(l -> !l.skipped()).toList();
        assertThat(ran).filteredOn(l -> l.path().equals("Java resident, new connection each"))
                .hasSize(smtpSink ? 8 : 4).allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(6));
        assertThat(ran).filteredOn(l -> l.path().equals("Java resident, reuse"))
                .hasSize(smtpSink ? 8 : 4).allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(6));
        assertThat(ran).filteredOn(l -> l.path().startsWith("sink alone"))
                .hasSize(smtpSink ? 4 : 2).allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(6));
        assertThat(ran).filteredOn(l -> l.path().equals("bin/qmail-remote (per process)"))
                .hasSize(smtpSink ? 8 : 4).allSatisfy(l -> assertThat(l.deliveries()).isEqualTo(2));
        assertThat(lines).filteredOn(l -> l.path().startsWith("C qmail-rspawn")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.firstFailure()).startsWith("skipped: no notqmail build named"));
        List<ResidentBenchmark.Line> msmtpLines = lines.stream().filter(l -> l.path().startsWith("msmtp")).toList();
        assertThat(msmtpLines).hasSize(smtpSink ? 8 : 4).allSatisfy(l -> {
            if (msmtp) {
                assertThat(l.deliveries()).isEqualTo(2);
            } else {
                assertThat(l.firstFailure()).startsWith("skipped: msmtp not found on PATH");
            }
        });
        assertThat(ran).isNotEmpty().allSatisfy(l -> {
            assertThat(l.k()).as(l.toString()).isEqualTo(l.deliveries());
            assertThat(l.sinkAccepted()).as(l.toString()).isEqualTo(l.deliveries());
        });
        assertThat(ran).filteredOn(l -> l.path().contains("resident")).allSatisfy(l -> {
            assertThat(l.rssKb()).as("VmHWM read").isPositive();
            assertThat(l.cpuMs()).as(l.toString()).isGreaterThanOrEqualTo(0);
        });
        assertThat(out).contains("deliveries per second as a share of the sink alone");
        // each path once in the share line, also the per-process ones whose count caps them at 2 in flight
        String shares = out.lines().filter(l -> l.startsWith("fake-mx 100k at 3: sink alone")).findFirst()
                .orElseThrow();
        for (String path : List.of("Java resident, new connection each", "Java resident, reuse",
                "bin/qmail-remote (per process)")) {
            assertThat(shares.split(java.util.regex.Pattern.quote(path), -1)).as(shares).hasSize(2);
        }
    }

    /** A sink or peer that is not there says so on each of its lines; the others still run. */
    @Test
    void aMissingSinkOrPeerIsSkippedOnItsLinesWithTheReason() throws Exception {
        ResidentBenchmark.Options o = new ResidentBenchmark.Options();
        o.sizes = List.of("1k");
        o.concurrencies = List.of(1);
        o.count = 2;
        o.reuse = List.of("new");
        o.sinkAlone = List.of();
        o.perProcess = false;
        o.smtpSink = Path.of("/nonexistent/smtp-sink");
        o.msmtpAdapter = Path.of("/nonexistent/msmtp-qmail-remote");
        o.notqmail = "/nonexistent/notqmail";
        String out = run(o);

        assertThat(lines).extracting(l -> l.sink() + " | " + l.path() + " | " + l.firstFailure()).containsExactly(
                "fake-mx | Java resident, new connection each | ",
                "fake-mx | C qmail-rspawn + C qmail-remote | skipped: /nonexistent/notqmail/qmail-rspawn missing",
                "fake-mx | msmtp (per process) | skipped: /nonexistent/msmtp-qmail-remote missing",
                "smtp-sink | (every path) | skipped: /nonexistent/smtp-sink not installed (Debian package postfix;"
                        + " only smtp-sink is run)");
        assertThat(out).contains("sink smtp-sink: skipped: /nonexistent/smtp-sink not installed")
                .contains("(3 lines skipped, each says why)");
    }

    /** The sink-alone client sends a queue file as SMTP does: CRLF lines, leading dots doubled, the final dot. */
    @Test
    void theSinkAloneClientWritesTheMessageAsSmtpDoes() {
        assertThat(new String(SinkAloneClient.wire("a\n.b\n..\nc".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII)).isEqualTo("a\r\n..b\r\n...\r\nc\r\n.\r\n");
    }

    private String run(ResidentBenchmark.Options o) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        lines = ResidentBenchmark.run(o, Path.of(""), new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
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
