package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.ReceivedMessage;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.Transcript;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fake mail exchangers: how they behave, and what they saw. */
public final class MailExchangerSteps {
    private static final Pattern REPLY_LINE = Pattern.compile("(\\d{3})([ -]?)(.*)");
    private final World world;
    private final java.util.Map<String, SmtpScript.Builder> scripts = new java.util.HashMap<>();

    public MailExchangerSteps(World world) {
        this.world = world;
    }

    @Given("a mail exchanger listens on {word}")
    public void listens(String address) throws IOException {
        script(address);
    }

    @Given("nothing listens on {word}")
    public void nothingListens(String address) {
        assertThat(world.bench().exchangers()).doesNotContainKey(address);
    }

    @Given("{word} drops connection attempts")
    public void dropsConnections(String address) throws IOException {
        world.bench().blackHole(address);
    }

    @Given("the mail exchanger on {word} only knows HELO")
    public void heloOnly(String address) throws IOException {
        script(address).heloOnly();
        apply(address);
    }

    @Given("the mail exchanger on {word} announces {string}")
    public void announces(String address, String extensions) throws IOException {
        script(address).extensions(extensions.isEmpty() ? new String[0] : extensions.split(",\\s*"));
        apply(address);
    }

    @Given("the mail exchanger on {word} answers {word} with {string}")
    public void answers(String address, String step, String reply) throws IOException {
        script(address).on(step, action(List.of(reply)));
        apply(address);
    }

    @Given("the mail exchanger on {word} answers {word} for {string} with {string}")
    public void answersFor(String address, String step, String argument, String reply) throws IOException {
        script(address).on(step, argument, action(List.of(reply)));
        apply(address);
    }

    @Given("the mail exchanger on {word} answers {word} with:")
    public void answersWithLines(String address, String step, String lines) throws IOException {
        script(address).on(step, action(Arrays.asList(lines.split("\n", -1))));
        apply(address);
    }

    @Given("the mail exchanger on {word} answers {word} with the bytes {string}")
    public void answersWithBytes(String address, String step, String escaped) throws IOException {
        script(address).on(step, new Action.Raw(ReportText.bytes(escaped)));
        apply(address);
    }

    @Given("the mail exchanger on {word} answers {word} with {string} and hangs up")
    public void answersAndHangsUp(String address, String step, String reply) throws IOException {
        script(address).on(step, new Action.ThenClose(action(List.of(reply))));
        apply(address);
    }

    /** fake-mx script directives (README, "fake-mx, standalone"), " ; " between them. */
    @Given("the mail exchanger on {word} follows the script {string}")
    public void followsScript(String address, String rules) throws IOException {
        configure(address, b -> dev.qremote.fakemx.ScriptFile.addTo(b, String.join("\n", rules.split(" ; "))));
    }

    @Given("the mail exchanger on {word} closes the connection at {word}")
    public void closesAt(String address, String step) throws IOException {
        script(address).on(step, new Action.Close());
        apply(address);
    }

    @Given("the mail exchanger on {word} waits {int} seconds before answering {word}")
    public void waits(String address, int seconds, String step) throws IOException {
        script(address).on(step, new Action.Delay(Duration.ofSeconds(seconds), new Action.Standard()));
        apply(address);
    }

    @Then("{word} received a message from {string} to {string} with the data {string}")
    public void received(String address, String sender, String recipients, String escapedData) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        assertThat(messages).as("messages received by " + address).hasSize(1);
        ReceivedMessage m = messages.get(0);
        assertThat(m.mailFrom()).isEqualTo(bytesOf(sender));
        assertThat(m.rcptTo()).containsExactlyElementsOf(recipientList(recipients));
        assertThat(ReportText.visible(m.data())).isEqualTo(ReportText.visible(ReportText.bytes(escapedData)));
    }

    @Then("{word} received a message from {string} to {string}")
    public void receivedEnvelope(String address, String sender, String recipients) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        assertThat(messages).as("messages received by " + address).hasSize(1);
        assertThat(messages.get(0).mailFrom()).isEqualTo(bytesOf(sender));
        assertThat(messages.get(0).rcptTo()).containsExactlyElementsOf(recipientList(recipients));
    }

    /** One message per transaction, in order; "a, b | c" is two messages, to a and b, then to c. */
    @Then("{word} received the messages to {string}")
    public void receivedMessagesTo(String address, String transactions) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        List<List<String>> expected = Arrays.stream(transactions.split("\\s*\\|\\s*"))
                .map(MailExchangerSteps::recipientList).toList();
        assertThat(messages.stream().map(ReceivedMessage::rcptTo).toList()).as("recipients of each message received by "
                + address).containsExactlyElementsOf(expected);
    }

    @Given("the mail exchanger on {word} accepts the login {string} with {string} by {mechanisms}")
    public void acceptsLogin(String address, String user, String secret, List<String> mechanisms) throws IOException {
        configure(address, b -> b.user(user, secret).authMechanisms(mechanisms.toArray(new String[0])));
    }

    @io.cucumber.java.ParameterType("[A-Z0-9-]+(?:, [A-Z0-9-]+)*")
    public List<String> mechanisms(String text) {
        return Arrays.asList(text.split(", "));
    }

    @Then("{word} received a message from {string} to {string} as the user {string}")
    public void receivedAs(String address, String sender, String recipients, String user) throws IOException {
        receivedEnvelope(address, sender, recipients);
        assertThat(world.bench().exchanger(address).messages().get(0).authenticatedUser()).isEqualTo(user);
    }

    @Then("the client logged in to {word} with {string}")
    public void loggedInWith(String address, String mechanism) throws IOException {
        assertThat(world.bench().exchanger(address).transcripts().get(0).render()).contains(" with " + mechanism + "\n");
    }

    @Then("the client said {string} to {word}")
    public void clientSaidLine(String line, String address) throws IOException {
        String said = ReportText.latin1(world.bench().exchanger(address).transcripts().get(0)
                .sentBy(Transcript.Direction.CLIENT));
        assertThat(said).contains(bytesOf(line) + "\r\n");
    }

    @Then("the client did not say {string} to {word}")
    public void clientDidNotSay(String text, String address) throws IOException {
        for (Transcript t : world.bench().exchanger(address).transcripts()) {
            assertThat(ReportText.latin1(t.sentBy(Transcript.Direction.CLIENT))).doesNotContain(bytesOf(text));
        }
    }

    @Then("{word} saw a connection from {word}")
    public void sawConnectionFrom(String address, String client) throws IOException {
        assertThat(world.bench().exchanger(address).clientAddresses())
                .extracting(java.net.InetAddress::getHostAddress).contains(client);
    }

    @Then("{word} received no message")
    public void receivedNothing(String address) throws IOException {
        assertThat(world.bench().exchanger(address).messages()).isEmpty();
    }

    @Then("{word} saw {int} connection(s)")
    public void sawConnections(String address, int count) throws IOException {
        assertThat(world.bench().exchanger(address).connections()).isEqualTo(count);
    }

    @Then("the client said to {word}:")
    public void clientSaid(String address, String escaped) throws IOException {
        List<Transcript> transcripts = world.bench().exchanger(address).transcripts();
        assertThat(transcripts).as("sessions with " + address).isNotEmpty();
        byte[] said = transcripts.get(0).sentBy(Transcript.Direction.CLIENT);
        assertThat(ReportText.visible(said).replace("\\r\\n", "\\r\\n\n"))
                .isEqualTo(ReportText.visible(ReportText.bytes(escaped)).replace("\\r\\n", "\\r\\n\n"));
    }

    @Then("the data sent to {word} was {string}")
    public void dataSent(String address, String escaped) throws IOException {
        List<Transcript> transcripts = world.bench().exchanger(address).transcripts();
        assertThat(transcripts).as("sessions with " + address).isNotEmpty();
        String said = ReportText.latin1(transcripts.get(0).sentBy(Transcript.Direction.CLIENT));
        int start = said.indexOf("DATA\r\n");
        assertThat(start).as("DATA was sent").isNotNegative();
        String data = said.substring(start + 6);
        int quit = data.lastIndexOf("QUIT\r\n");
        if (quit >= 0) {
            data = data.substring(0, quit);
        }
        assertThat(ReportText.visible(data.getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(ReportText.visible(ReportText.bytes(escaped)));
    }

    @Then("the client pipelined its envelope to {word}")
    public void pipelined(String address) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        assertThat(messages).isNotEmpty();
        assertThat(messages.get(0).pipelined()).as("MAIL and RCPT sent without waiting").isTrue();
    }

    /** Changes the script of one exchanger (for other step classes). */
    void configure(String address, java.util.function.Consumer<SmtpScript.Builder> change) throws IOException {
        change.accept(script(address));
        apply(address);
    }

    private SmtpScript.Builder script(String address) throws IOException {
        SmtpScript.Builder builder = scripts.computeIfAbsent(address, a -> SmtpScript.builder());
        apply(address);
        return builder;
    }

    private void apply(String address) throws IOException {
        SmtpServer server = world.bench().exchanger(address);
        server.script(scripts.get(address).build());
    }

    /** Well-formed reply lines become a reply; anything else is sent as the exact bytes, CRLF after each. */
    private static Action action(List<String> lines) {
        List<String> texts = new ArrayList<>();
        int code = -1;
        boolean wellFormed = true;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = REPLY_LINE.matcher(lines.get(i));
            boolean last = i == lines.size() - 1;
            if (!m.matches() || (code >= 0 && Integer.parseInt(m.group(1)) != code)
                    || (last ? m.group(2).equals("-") : !m.group(2).equals("-"))) {
                wellFormed = false;
                break;
            }
            code = Integer.parseInt(m.group(1));
            texts.add(m.group(3));
        }
        if (wellFormed) {
            return new Action.Reply(code, texts);
        }
        StringBuilder raw = new StringBuilder();
        lines.forEach(l -> raw.append(l).append("\r\n"));
        return new Action.Raw(raw.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<String> recipientList(String recipients) {
        return Arrays.stream(recipients.split(",\\s*")).map(MailExchangerSteps::bytesOf).toList();
    }

    /** The feature's text as the fake server records it: its UTF-8 bytes, one char per byte. */
    private static String bytesOf(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
