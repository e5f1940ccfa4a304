package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderRun;
import io.cucumber.java.After;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import java.nio.charset.StandardCharsets;

/**
 * What qmail-remote printed. Every comparison also checks the two invariants qmail-rspawn depends on: the
 * exit status is 0 and nothing was written to stderr.
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
        assertThat(run.visibleReports()).startsWith(ReportText.visible(ReportText.bytes(prefix)));
    }

    @Then("the reports end with {string}")
    public void reportsEndWith(String suffix) {
        SenderRun run = checkedRun();
        assertThat(run.visibleReports()).endsWith(ReportText.visible(ReportText.bytes(suffix)));
    }

    @Then("the message report is at most {int} bytes")
    public void messageReportAtMost(int bytes) {
        SenderRun run = checkedRun();
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
        assertThat(checkedRun().visibleReports()).doesNotContain(text);
    }

    private void compare(String expectedEscaped) {
        SenderRun run = checkedRun();
        String expected = ReportText.visible(ReportText.bytes(Repeats.expand(expectedEscaped)));
        assertThat(run.visibleReports()).as("reports, one per line").isEqualTo(expected);
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
