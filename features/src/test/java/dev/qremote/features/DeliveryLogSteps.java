package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * control/deliverylog as an operator reads it: the file "delivery.json" in the qmail home (what the
 * scenarios name in the control file), filtered with jq as the README shows.
 */
public final class DeliveryLogSteps {
    private final World world;
    private String jqOutput;

    public DeliveryLogSteps(World world) {
        this.world = world;
    }

    private Path log() {
        return world.bench().qmailHome().resolve("delivery.json");
    }

    @Then("the delivery log has {int} line(s)")
    public void lines(int count) throws IOException {
        List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(count).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
    }

    @Then("the delivery log does not contain {string}")
    public void doesNotContain(String text) throws IOException {
        assertThat(Files.readString(log(), StandardCharsets.UTF_8)).doesNotContain(text);
    }

    /** Runs {@code jq FLAGS PROGRAM delivery.json}; skipped, and says so, where jq is not installed. */
    @When("the delivery log is filtered with jq {word}:")
    public void jq(String flags, String program) throws IOException, InterruptedException {
        Process jq;
        try {
            jq = new ProcessBuilder("jq", flags, program, log().toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("jq is not installed: " + e.getMessage());
            return;
        }
        jq.getOutputStream().close();
        byte[] out = jq.getInputStream().readAllBytes();
        assertThat(jq.waitFor(30, TimeUnit.SECONDS)).isTrue();
        jqOutput = new String(out, StandardCharsets.UTF_8);
        assertThat(jq.exitValue()).as(jqOutput).isZero();
    }

    @Then("jq prints:")
    public void jqPrints(String expected) {
        assertThat(jqOutput.strip()).isEqualTo(expected.strip());
    }
}
