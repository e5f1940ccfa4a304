package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderRun;
import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import java.nio.charset.StandardCharsets;
import org.opentest4j.TestAbortedException;

/**
 * What qmail-remote printed. Every comparison also checks the two invariants qmail-rspawn depends on: the
 * exit status is 0 and nothing was written to stderr. On the resident path ({@link ResidentPath}) the same
 * expectations are turned into what qmail-rspawn must answer for them (C qmail-rspawn's translation of
 * those reports) and compared with its one answer; its exit status and stderr are checked alike.
 */
public final class ReportSteps {
    private final World world;

    public ReportSteps(World world) {
        this.world = world;
    }

    @Then("the reports are:")
    public void reportsAre(String expected) {
        compare(expected);
    }

    @Then("the report is {string}")
    public void reportIs(String expected) {
        compare(expected);
    }

    @Then("the message report starts with {string}")
    public void messageReportStartsWith(String prefix) {
        SenderRun run = checkedRun();
        if (world.resident()) {
            ResidentPath.Prefix expected = ResidentPath.expectedPrefix(ReportText.bytes(prefix));
            String answer = ReportText.visible(ResidentPath.answer(run));
            String text = ReportText.visible(expected.text());
            if (expected.letterKnown()) {
                assertThat(answer).as("qmail-rspawn's answer for reports starting " + prefix).startsWith(text);
            } else {
                assertThat(answer.substring(1)).as("qmail-rspawn's answer after its letter, for reports starting "
                        + prefix).startsWith(text.substring(1));
            }
            return;
        }
        assertThat(run.visibleReports()).startsWith(ReportText.visible(ReportText.bytes(prefix)));
    }

    @Then("the reports end with {string}")
    public void reportsEndWith(String suffix) {
        SenderRun run = checkedRun();
        byte[] expected = ReportText.bytes(suffix);
        if (world.resident()) {
            // one recipient: the answer ends as the message report does (C's report() appends its text)
            assertThat(new String(expected, StandardCharsets.ISO_8859_1).indexOf('\0'))
                    .as("a suffix within the message report").isEqualTo(expected.length - 1);
            byte[] answer = ResidentPath.answer(run);
            assertThat(ReportText.visible(answer) + "\\0\n").endsWith(ReportText.visible(expected));
            return;
        }
        assertThat(run.visibleReports()).endsWith(ReportText.visible(expected));
    }

    @Then("the message report is at most {int} bytes")
    public void messageReportAtMost(int bytes) {
        SenderRun run = checkedRun();
        if (world.resident()) {
            // the answer holds the recipient's report text too: for one recipient accepted, none
            assertThat(ResidentPath.answer(run).length + 2).as("bytes of the answer, slot byte and NUL included")
                    .isLessThanOrEqualTo(bytes);
            return;
        }
        byte[] all = run.stdout();
        int start = all.length - 1;
        while (start > 0 && all[start - 1] != 0) {
            start--;
        }
        assertThat(all.length - start).as("bytes of the message report, letter and NUL included")
                .isLessThanOrEqualTo(bytes);
    }

    @Then("the reports do not contain {string}")
    public void reportsDoNotContain(String text) {
        SenderRun run = checkedRun();
        assertThat(world.resident() ? ReportText.visible(ResidentPath.answer(run)) : run.visibleReports())
                .doesNotContain(text);
    }

    private void compare(String expectedEscaped) {
        SenderRun run = checkedRun();
        byte[] reports = ReportText.bytes(Repeats.expand(expectedEscaped));
        if (world.resident()) {
            assertThat(ReportText.visible(ResidentPath.answer(run)))
                    .as("qmail-rspawn's answer, against C qmail-rspawn's translation of\n" + ReportText.visible(reports))
                    .isEqualTo(ReportText.visible(ResidentPath.expected(reports)));
            return;
        }
        assertThat(run.visibleReports()).as("reports, one per line").isEqualTo(ReportText.visible(reports));
    }

    /**
     * On the resident path, scenarios for per-process qmail-remote alone, and those that drive qmail-rspawn
     * themselves, are skipped (whatever tags were asked).
     */
    @Before
    public void perProcessOnly(Scenario scenario) {
        if (world.resident() && (scenario.getSourceTagNames().contains(ResidentPath.PER_PROCESS)
                || scenario.getSourceTagNames().contains(ResidentPath.SPAWN))) {
            throw new TestAbortedException("not a scenario for the resident run");
        }
    }

    private SenderRun checkedRun() {
        SenderRun run = world.lastRun();
        assertThat(new String(run.stderr(), StandardCharsets.ISO_8859_1)).as("stderr").isEmpty();
        assertThat(run.exitStatus()).as("exit status").isZero();
        return run;
    }

    @After
    public void attachTranscripts(Scenario scenario) {
        String transcripts = world.bench().transcripts();
        if (!transcripts.isEmpty()) {
            scenario.attach(transcripts, "text/plain", "SMTP transcript");
        }
        try {
            scenario.attach(world.lastRun().visibleReports(), "text/plain", "reports");
        } catch (IllegalStateException notRun) {
            // the scenario failed before qmail-remote ran
        }
    }
}
