package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderRun;
import dev.qremote.fakemx.ScriptFile;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.IssuedCertificate;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault matrix (smtp/fault-matrix.feature): what each step of a delivery needs to be reached, the
 * fault scripted on the first MX, and the checks every row makes. Table cells come through Gherkin's
 * cell escapes, where {@code \n} is already a line break: it is turned back into the two characters.
 */
public final class FaultMatrixSteps {
    private static final String FIRST = "127.0.0.2";
    /** Over the socket buffers of both ends, so the client is still writing when the server acts mid-message. */
    private static final int BIG = 8 << 20;
    private static final Pattern CONNECTED_TO = Pattern.compile("Connected to (\\S+) but");

    private final World world;
    private final MailExchangerSteps exchangers;
    private byte[] message = SenderSteps.SAMPLE.getBytes(StandardCharsets.ISO_8859_1);
    private List<String> recipients = List.of();

    public FaultMatrixSteps(World world, MailExchangerSteps exchangers) {
        this.world = world;
        this.exchangers = exchangers;
    }

    @Given("the first mail exchanger is ready for the step {string}")
    public void readyFor(String step) throws IOException {
        switch (step) {
            case "STARTTLS", "TLS handshake" -> {
                IssuedCertificate certificate = world.bench().ca().leaf("mx1.example.test");
                world.bench().certificate(FIRST, certificate);
                exchangers.configure(FIRST, b -> b.starttls(certificate));
            }
            case "AUTH" -> {
                exchangers.configure(FIRST, b -> b.user("alice", "s3cret").authMechanisms("PLAIN"));
                world.bench().control("smtproutes",
                        "example.test:relay.test;" + world.bench().smtpPort() + "|alice|s3cret\n");
            }
            case "BDAT first chunk", "BDAT LAST" -> {
                exchangers.configure(FIRST, b -> b.extensions("PIPELINING", "CHUNKING", "8BITMIME"));
                world.bench().control("chunksizeremote", "32\n");
            }
            case "message" -> message = bigMessage();
            case "greeting", "EHLO", "MAIL", "RCPT 1", "RCPT 2", "DATA", "after the dot", "QUIT" -> {
                // the polite server, PIPELINING and 8BITMIME
            }
            default -> throw new IllegalArgumentException("no such step in the matrix: " + step);
        }
    }

    @Given("the first mail exchanger follows {string}")
    public void follows(String rules) throws IOException {
        String text = String.join("\n", cell(rules).split(" ; "));
        exchangers.configure(FIRST, b -> ScriptFile.addTo(b, text));
    }

    @When("qmail-remote delivers the step's message to {string}")
    public void deliver(String recipients) throws Exception {
        SenderSteps.perProcessOnly("two recipients in one delivery");
        List<String> argv = new ArrayList<>(List.of("example.test", "alice@sender.test"));
        this.recipients = Arrays.asList(recipients.split(",\\s*"));
        argv.addAll(this.recipients);
        world.lastMessage(message);
        world.lastRun(world.bench().deliver(world.command(), argv, message));
    }

    @Then("the recipients got {string} and the final report is {string}")
    public void outcome(String letters, String finalReport) {
        List<String> reports = reports();
        String expectedLetters = letters.equals("-") ? "" : letters.replace(" ", "");
        StringBuilder got = new StringBuilder();
        reports.subList(0, reports.size() - 1).forEach(r -> got.append(r.charAt(0)));
        String all = String.join("\\0\n", reports.stream().map(r -> ReportText.visible(bytes(r))).toList());
        assertThat(got.toString()).as("recipient letters in\n" + all).isEqualTo(expectedLetters);
        String last = reports.get(reports.size() - 1);
        assertThat(ReportText.visible(bytes(last))).as("final report")
                .matches(wildcard(ReportText.visible(ReportText.bytes(cell(finalReport)))));
    }

    @Then("no K came without a 250 after the final dot, and no \"Possible duplicate\" before it")
    public void invariants() throws IOException {
        List<String> reports = reports();
        String last = reports.get(reports.size() - 1);
        if (last.startsWith("K")) {
            String ip = last.substring(1, last.indexOf(' '));
            assertThat(world.bench().exchanger(ip).repliesAfterMessage())
                    .as(ReportText.visible(bytes(last)) + "\nbut what " + ip + " said after each complete message:")
                    .anyMatch(reply -> reply.startsWith("250"));
        }
        if (last.contains("Possible duplicate")) {
            Matcher m = CONNECTED_TO.matcher(last);
            assertThat(m.find()).as("the report names the host: " + last).isTrue();
            assertThat(world.bench().exchanger(m.group(1)).repliesAfterMessage())
                    .as("\"Possible duplicate\": " + m.group(1) + " saw the whole message").isNotEmpty();
        }
    }

    @Then("the message went to {word}")
    public void wentTo(String where) throws IOException {
        for (Map.Entry<String, SmtpServer> e : world.bench().exchangers().entrySet()) {
            assertThat(e.getValue().messages()).as("messages " + e.getKey() + " accepted")
                    .hasSize(e.getKey().equals(where) ? 1 : 0);
        }
        if (!where.equals("nowhere")) {
            assertThat(world.bench().exchangers()).containsKey(where);
            List<String> reports = reports();
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < reports.size() - 1 && i < recipients.size(); i++) {
                if (reports.get(i).startsWith("r")) {
                    accepted.add(recipients.get(i));
                }
            }
            assertThat(world.bench().exchanger(where).messages().get(0).rcptTo())
                    .as("the envelope " + where + " kept: the recipients reported r").isEqualTo(accepted);
        }
    }

    /** The reports, each without its NUL, after the checks every Then step makes. */
    private List<String> reports() {
        SenderRun run = world.lastRun();
        assertThat(new String(run.stderr(), StandardCharsets.ISO_8859_1)).as("stderr").isEmpty();
        assertThat(run.exitStatus()).as("exit status").isZero();
        String out = ReportText.latin1(run.stdout());
        assertThat(out).as("reports end with NUL").endsWith("\0");
        return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
    }

    /** A table cell as the feature wrote it: Gherkin made its "\n" a line break. */
    private static String cell(String text) {
        return text.replace("\n", "\\n");
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** '*' matches any text; everything else literally. */
    private static String wildcard(String expected) {
        StringBuilder regex = new StringBuilder("(?s)");
        for (String part : expected.split("\\*", -1)) {
            if (regex.length() > 4) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return regex.toString();
    }

    private static byte[] bigMessage() {
        StringBuilder m = new StringBuilder("From: alice@sender.test\nTo: a@example.test\nSubject: big\n\n");
        String line = "0123456789".repeat(7) + "\n";
        while (m.length() < BIG) {
            m.append(line);
        }
        return m.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
