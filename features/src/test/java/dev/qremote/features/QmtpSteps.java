package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.fakemx.QmtpScript;
import dev.qremote.fakemx.ReceivedMessage;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Fake QMTP servers: how they answer, and what they received. */
public final class QmtpSteps {
    private final World world;
    private final QmtpScript.Builder script = QmtpScript.builder();

    public QmtpSteps(World world) {
        this.world = world;
    }

    @Given("a QMTP server listens on {word}")
    public void listens(String address) throws IOException {
        world.bench().qmtpServer(address, script.build());
    }

    @Given("the QMTP server on {word} answers recipients containing {string} with {string}")
    public void answers(String address, String contains, String reply) throws IOException {
        script.reply(contains, reply);
        world.bench().qmtpServer(address, script.build());
    }

    @Given("the QMTP server on {word} {qmtpFault}")
    public void fault(String address, QmtpScript.Fault fault) throws IOException {
        script.fault(fault);
        world.bench().qmtpServer(address, script.build());
    }

    @io.cucumber.java.ParameterType("closes before any reply|closes after the first reply|answers with garbage")
    public QmtpScript.Fault qmtpFault(String text) {
        return switch (text) {
            case "closes before any reply" -> QmtpScript.Fault.CLOSE_BEFORE_REPLIES;
            case "closes after the first reply" -> QmtpScript.Fault.CLOSE_AFTER_FIRST_REPLY;
            default -> QmtpScript.Fault.GARBAGE;
        };
    }

    @Given("the QMTP server on {word} speaks TLS with a certificate for {string}")
    public void tls(String address, String name) throws IOException {
        script.tls(world.bench().ca().leaf(name));
        world.bench().qmtpServer(address, script.build());
    }

    @Then("{word} received by QMTP a message from {string} to {string} with the data {string}")
    public void received(String address, String sender, String recipients, String data) {
        List<ReceivedMessage> messages = world.bench().qmtpServer(address).messages();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).mailFrom()).isEqualTo(sender);
        assertThat(messages.get(0).rcptTo()).containsExactlyElementsOf(Arrays.asList(recipients.split(",\\s*")));
        assertThat(ReportText.visible(messages.get(0).data())).isEqualTo(ReportText.visible(ReportText.bytes(data)));
    }

    @Then("{word} received by QMTPS a message")
    public void receivedOverTls(String address) {
        List<ReceivedMessage> messages = world.bench().qmtpServer(address).messages();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).tls()).isNotNull();
    }
}
