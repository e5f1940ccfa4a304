package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliveries through the resident {@code bin/qmail-rspawn} of this repository, driven as qmail-send drives
 * it ({@link SpawnDriver}), against the scenario's bench: what the resident path alone does (SMTP session
 * reuse). Each delivery waits for its answer before the next is asked for, as a queue working through one
 * destination would.
 */
public final class ResidentSteps {
    private static final String MESSAGE = "From: alice@sender.test\nTo: bob@example.test\nSubject: test\n\nHello.\n";
    private final World world;
    private final List<String> answers = new ArrayList<>();

    public ResidentSteps(World world) {
        this.world = world;
    }

    @When("qmail-rspawn delivers {int} messages from {string} to {string} one after another")
    public void deliverOneAfterAnother(int count, String sender, String recipient) throws Exception {
        Path home = world.bench().qmailHome();
        Path mess = home.resolve("queue/mess/0");
        Files.createDirectories(mess);
        world.bench().publishDns();
        Map<String, String> env = new HashMap<>(world.bench().environment());
        env.put("QREMOTE_QMAILQ", Files.getOwner(home).getName());
        try (SpawnDriver driver = SpawnDriver.start(env, world.bench().workDir().resolve("rspawn-stderr"))) {
            assertThat(driver.slotLimit()).as("the slot byte").isPositive();
            for (int i = 0; i < count; i++) {
                String id = "0/" + (100 + i);
                Files.writeString(home.resolve("queue/mess").resolve(id), MESSAGE);
                driver.send(0, id, sender, recipient);
                SpawnDriver.Answer answer = driver.next();
                assertThat(answer).as("the answer to delivery " + (i + 1)).isNotNull();
                assertThat(answer.slot()).isZero();
                answers.add(answer.text());
            }
            driver.closeRequests();
            assertThat(driver.awaitExit(60)).as("exit status at end of input").isZero();
        }
        world.bench().awaitIdle();
    }

    @Then("qmail-rspawn answered each delivery with {string}")
    public void answeredEach(String prefix) {
        assertThat(answers).isNotEmpty();
        String expected = ReportText.visible(ReportText.bytes(prefix));
        assertThat(answers).allSatisfy(a -> assertThat(ReportText.visible(a.getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1))).startsWith(expected));
    }

    @Then("{word} received {int} messages")
    public void receivedMessages(String address, int count) throws IOException {
        assertThat(world.bench().exchanger(address).messages()).hasSize(count);
    }
}
