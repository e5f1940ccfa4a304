package dev.qremote.features;

import dev.qremote.bench.ReportText;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the command under test the way qmail-rspawn does. */
public final class SenderSteps {
    static final String SAMPLE = "From: alice@sender.test\nTo: bob@example.test\nSubject: test\n\nHello.\n";
    private final World world;
    private final Map<String, String> extraEnvironment = new HashMap<>();
    private java.time.Duration lastElapsed;

    public SenderSteps(World world) {
        this.world = world;
    }

    @Given("the JVM of qmail-remote may use at most {int} MiB of heap")
    public void heapLimit(int mebibytes) {
        extraEnvironment.put("QREMOTE_JAVA_OPTIONS", "-Xmx" + mebibytes + "m");
        // the resident launcher's -Xms32m: a smaller -Xmx needs a smaller -Xms, or the JVM does not start
        extraEnvironment.put("QREMOTE_SPAWN_JAVA_OPTIONS", "-Xms" + Math.min(mebibytes, 32) + "m -Xmx" + mebibytes + "m");
    }

    @When("qmail-remote is run with the arguments {string}")
    public void runWithArguments(String args) throws Exception {
        perProcessOnly("arguments qmail-send never gives");
        List<String> argv = args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
        run(argv, SAMPLE.getBytes(StandardCharsets.ISO_8859_1));
    }

    @When("qmail-remote delivers to {string} from {string} to {string}")
    public void deliverSample(String host, String sender, String recipients) throws Exception {
        run(arguments(host, sender, recipients), SAMPLE.getBytes(StandardCharsets.ISO_8859_1));
    }

    @When("qmail-remote delivers to {string} from {string} to {string} the message:")
    public void deliverText(String host, String sender, String recipients, String message) throws Exception {
        run(arguments(host, sender, recipients), (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @When("qmail-remote delivers to {string} from {string} to {string} the bytes {string}")
    public void deliverBytes(String host, String sender, String recipients, String escaped) throws Exception {
        run(arguments(host, sender, recipients), ReportText.bytes(escaped));
    }

    @When("qmail-remote delivers to {string} from {string} to {string} the message file {string}")
    public void deliverFile(String host, String sender, String recipients, String name) throws Exception {
        try (var in = SenderSteps.class.getResourceAsStream("/messages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no message file " + name + " in src/test/resources/messages");
            }
            run(arguments(host, sender, recipients), in.readAllBytes());
        }
    }

    @When("qmail-remote delivers to {string} from {string} to {string} the bytes {string} through a pipe")
    public void deliverThroughPipe(String host, String sender, String recipients, String escaped) throws Exception {
        perProcessOnly("a pipe as stdin");
        byte[] message = ReportText.bytes(escaped);
        world.lastMessage(message);
        Path file = Files.createTempFile(world.bench().workDir(), "piped", ".eml");
        Files.write(file, message);
        world.lastRun(world.bench().deliver(world.command(), arguments(host, sender, recipients), file, true,
                extraEnvironment));
    }

    @When("qmail-remote delivers to {string} from {string} to {string} with a directory as stdin")
    public void deliverFromDirectory(String host, String sender, String recipients) throws Exception {
        perProcessOnly("a directory as stdin");
        Path directory = Files.createTempDirectory(world.bench().workDir(), "not-a-message");
        world.lastRun(world.bench().deliver(world.command(), arguments(host, sender, recipients), directory,
                extraEnvironment));
    }

    /** TERM to the JVM the launcher started (the launcher's only child; the interop bench's command itself). */
    @When("qmail-remote delivers to {string} from {string} to {string} and its JVM is sent TERM after {int} ms")
    public void deliverAndTerminate(String host, String sender, String recipients, int millis) throws Exception {
        perProcessOnly("a signal to qmail-remote's JVM");
        byte[] message = "Subject: cancelled\n\nHi.\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        world.lastMessage(message);
        Path file = Files.createTempFile(world.bench().workDir(), "message", ".eml");
        Files.write(file, message);
        world.lastRun(world.bench().deliver(world.command(), arguments(host, sender, recipients), file, false,
                extraEnvironment, process -> {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    // SIGTERM to the JVM under the launcher, or to the command itself when it has no child
                    process.children().findFirst().ifPresentOrElse(ProcessHandle::destroy, process::destroy);
                }));
        lastElapsed = world.lastRun().elapsed();
    }

    private void run(List<String> argv, byte[] message) throws IOException, InterruptedException {
        world.lastMessage(message);
        world.lastRun(world.resident() ? ResidentPath.deliver(world.bench(), argv, message, extraEnvironment)
                : world.bench().deliver(world.command(), argv, message, extraEnvironment));
        lastElapsed = world.lastRun().elapsed();
    }

    /** A step with no counterpart in qmail-send's requests fails the resident run: its scenario needs the tag. */
    static void perProcessOnly(String what) {
        if (ResidentPath.active()) {
            throw new IllegalStateException(what + " exists only for per-process qmail-remote: tag the scenario "
                    + ResidentPath.PER_PROCESS);
        }
    }

    /** A generous bound on wall time, for behaviour whose point is to end (not a benchmark). */
    @io.cucumber.java.en.Then("qmail-remote ended within {int} seconds")
    public void endedWithin(int seconds) {
        org.assertj.core.api.Assertions.assertThat(lastElapsed).as("wall time of the last run")
                .isLessThanOrEqualTo(java.time.Duration.ofSeconds(seconds));
    }

    /** Arguments with escapes (\r, \n, \0 for bytes a test wants to smuggle in); recipients comma-separated. */
    private static List<String> arguments(String host, String sender, String recipients) {
        List<String> argv = new ArrayList<>();
        argv.add(unescape(host));
        argv.add(unescape(sender));
        for (String r : recipients.split(",\\s*")) {
            argv.add(unescape(r));
        }
        return argv;
    }

    private static String unescape(String s) {
        return ReportText.latin1(ReportText.bytes(Repeats.expand(s)));
    }
}
