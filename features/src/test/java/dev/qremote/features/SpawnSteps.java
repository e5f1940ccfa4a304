package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * qmail-send's side of the spawn protocol, step by step, against a real {@code bin/qmail-rspawn} (features
 * tagged {@code @spawn}): requests qmail-rspawn answers itself, with C qmail-rspawn's texts. The process starts
 * at the first request, with the bench's environment and the owner of the queue as queue user; when the
 * scenario ends its pipe is closed, and it must then exit 0 with nothing more written and stderr empty.
 */
public final class SpawnSteps {
    private final World world;
    private final Map<String, String> environment = new HashMap<>();
    private SpawnDriver driver;
    private Path stderr;

    public SpawnSteps(World world) {
        this.world = world;
    }

    private Path mess() {
        return world.bench().qmailHome().resolve("queue/mess");
    }

    @Given("the queue holds the message {string}")
    public void queueHolds(String path) throws IOException {
        Path file = mess().resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, SenderSteps.SAMPLE, StandardCharsets.ISO_8859_1);
    }

    /** The queue user named to qmail-rspawn is a user of this machine who does not own the queue's files. */
    @Given("the queue's message files belong to another user")
    public void anotherOwner() throws IOException {
        Files.createDirectories(mess());
        String owner = Files.getOwner(mess()).getName();
        for (String name : List.of("nobody", "daemon", "bin", "root")) {
            try {
                mess().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            } catch (IOException noSuchUser) {
                continue;
            }
            if (!name.equals(owner)) {
                environment.put("QREMOTE_QMAILQ", name);
                return;
            }
        }
        throw new IllegalStateException("this machine has no user but " + owner + " among nobody, daemon, bin, root");
    }

    @When("qmail-send asks qmail-rspawn for slot {int} to deliver {string} from {string} to {string}")
    public void ask(int slot, String path, String sender, String recipient) throws IOException {
        started().send(slot, Repeats.expand(path), Repeats.expand(sender), Repeats.expand(recipient));
    }

    @When("qmail-send asks qmail-rspawn twice for slot {int} to deliver {string} from {string} to {string}")
    public void askTwice(int slot, String path, String sender, String recipient) throws IOException {
        ask(slot, path, sender, recipient);
        ask(slot, path, sender, recipient);
    }

    /** {@code text} as the features write reports: escapes, and the NUL that ends the answer. */
    @Then("qmail-rspawn answers slot {int} with {string}")
    public void answers(int slot, String text) throws IOException {
        String expected = ReportText.visible(ReportText.bytes(cell(text)));
        SpawnDriver.Answer answer = next();
        assertThat(answer.slot()).as("slot of the answer " + answer.text()).isEqualTo(slot);
        assertThat(ReportText.visible((answer.text() + '\0').getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(expected);
    }

    @Then("qmail-rspawn answers slot {int} with a text starting {string}")
    public void answersStarting(int slot, String prefix) throws IOException {
        SpawnDriver.Answer answer = next();
        assertThat(answer.slot()).as("slot of the answer " + answer.text()).isEqualTo(slot);
        assertThat(ReportText.visible(answer.text().getBytes(StandardCharsets.ISO_8859_1)))
                .startsWith(ReportText.visible(ReportText.bytes(prefix)));
    }

    @After("@spawn")
    public void endsCleanly() throws Exception {
        if (driver == null) {
            return;
        }
        try (SpawnDriver d = driver) {
            d.closeRequests();
            SpawnDriver.Answer more = d.next();
            assertThat(more).as("an answer nobody asked for").isNull();
            assertThat(d.awaitExit(60)).as("qmail-rspawn's exit status once its input closed").isZero();
            assertThat(Files.readString(stderr, StandardCharsets.ISO_8859_1)).as("stderr").isEmpty();
        }
    }

    private SpawnDriver.Answer next() throws IOException {
        SpawnDriver.Answer answer = driver.next();
        assertThat(answer).as("an answer from qmail-rspawn").isNotNull();
        return answer;
    }

    private SpawnDriver started() throws IOException {
        if (driver == null) {
            world.bench().publishDns();
            Files.createDirectories(mess());
            Map<String, String> env = new HashMap<>(world.bench().environment());
            env.put("QREMOTE_QMAILQ", Files.getOwner(mess()).getName());
            env.putAll(environment);
            stderr = Files.createTempFile(world.bench().workDir(), "rspawn-stderr", ".bin");
            driver = SpawnDriver.start(env, stderr);
            assertThat(driver.slotLimit()).as("the slot limit qmail-rspawn announces").isEqualTo(120);
        }
        return driver;
    }

    /** A table cell as the feature wrote it: Gherkin made its "\n" a line break. */
    private static String cell(String text) {
        return text.replace("\n", "\\n");
    }
}
