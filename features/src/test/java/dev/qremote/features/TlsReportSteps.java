package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.qremote.bench.SenderCommand;
import dev.qremote.bench.SenderRun;
import dev.qremote.fakemx.ReceivedMessage;
import dev.qremote.sender.tlsrpt.Json;
import dev.qremote.sender.tlsrpt.SessionOutcome;
import dev.qremote.sender.tlsrpt.Spool;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * TLS reporting (RFC 8460): the spool the deliveries write, bin/tlsrpt, and the two ways a report goes: mail
 * through qmail-inject (here a script that keeps what it got and hands it to bin/qmail-remote, so the report
 * crosses a fake MX) and an HTTPS POST to a receiver with a certificate of the bench's test CA, on loopback.
 */
public final class TlsReportSteps {
    private static final String SPOOL = "tlsrpt";
    private final World world;
    private HttpsServer receiver;
    private final List<Received> posted = new CopyOnWriteArrayList<>();
    private SenderRun tlsrpt;

    private record Received(String contentType, byte[] body) {
    }

    public TlsReportSteps(World world) {
        this.world = world;
    }

    @After
    public void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private Path spool() {
        return world.bench().qmailHome().resolve(SPOOL);
    }

    private List<SessionOutcome> today() throws IOException {
        return Spool.read(spool(), LocalDate.now(ZoneOffset.UTC));
    }

    @Given("TLS reporting spools to {string}")
    public void spoolsTo(String directory) throws IOException {
        world.bench().control("tlsrptspool", directory);
    }

    @Then("the TLS reporting spool holds {int} session(s)")
    public void holdsSessions(int count) throws IOException {
        assertThat(today()).hasSize(count);
    }

    @Then("the TLS reporting spool holds a session for {string} under {string} with the result {string}")
    public void holdsSession(String domain, String policyType, String result) throws IOException {
        List<SessionOutcome> sessions = today();
        assertThat(sessions).as("sessions in the spool").anySatisfy(s -> {
            assertThat(s.policy().domain()).isEqualTo(domain);
            assertThat(s.policy().type()).isEqualTo(policyType);
            assertThat(s.result()).isEqualTo(result);
            assertThat(s.mxHost()).isNotEmpty();
            assertThat(s.receivingIp()).startsWith("127.");
            assertThat(s.sendingIp()).startsWith("127.");
            if (policyType.equals("tlsa")) {
                assertThat(s.policy().policyString()).as("the TLSA records").isNotEmpty()
                        .allSatisfy(r -> assertThat(r).matches("[0-3] [01] [0-2] [0-9a-f]+"));
            }
        });
    }

    /** A line with no session behind it: an MX the enforce policy does not list, never contacted (RFC 8460 4.3). */
    @Then("the TLS reporting spool holds an MTA-STS line for {string} with the result {string} for {string} at {string}")
    public void holdsUnlisted(String domain, String result, String mx, String address) throws IOException {
        assertThat(today()).as("sessions in the spool").anySatisfy(s -> {
            assertThat(s.policy().type()).isEqualTo("sts");
            assertThat(s.policy().domain()).isEqualTo(domain);
            assertThat(s.policy().policyString()).as("the policy's lines").contains("mode: enforce");
            assertThat(s.policy().mxHost()).as("the policy's mx patterns").isNotEmpty();
            assertThat(s.result()).isEqualTo(result);
            assertThat(s.mxHost()).isEqualTo(mx);
            assertThat(s.receivingIp()).isEqualTo(address);
        });
    }

    /** A published policy that could not be had: one line for the delivery, no MX (RFC 8460 4.3.1). */
    @Then("the TLS reporting spool holds an MTA-STS line for {string} with the result {string} and no MX")
    public void holdsUnavailable(String domain, String result) throws IOException {
        assertThat(today()).as("sessions in the spool").anySatisfy(s -> {
            assertThat(s.policy().type()).isEqualTo("sts");
            assertThat(s.policy().domain()).isEqualTo(domain);
            assertThat(s.result()).isEqualTo(result);
            assertThat(s.mxHost()).isEmpty();
            assertThat(s.receivingIp()).isEmpty();
        });
    }

    @Given("the TLS reporting spool holds for today {int} successful and {int} failed {string} session(s) for {string}")
    public void spoolHolds(int successes, int failures, String failure, String domain) throws IOException {
        Files.createDirectories(spool());
        StringBuilder lines = new StringBuilder();
        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < successes + failures; i++) {
            SessionOutcome s = new SessionOutcome(now, dev.qremote.sender.tlsrpt.TlsRptPolicy.none(domain),
                    i < successes ? SessionOutcome.SUCCESS : failure, "127.0.0.1", "mx1." + domain, "127.0.0.2");
            lines.append(new String(s.line(), StandardCharsets.US_ASCII));
        }
        Files.writeString(Spool.file(spool(), LocalDate.now(ZoneOffset.UTC)), lines, StandardCharsets.US_ASCII,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** qmail-inject as qmail has it, under QMAILHOME/bin: keeps its arguments and input, then delivers them. */
    @Given("qmail-inject hands each message to qmail-remote for {string}")
    public void fakeInject(String host) throws IOException {
        Path bin = world.bench().qmailHome().resolve("bin");
        Files.createDirectories(bin);
        Path inject = bin.resolve("qmail-inject");
        Path remote = world.command().path().toAbsolutePath();
        Files.writeString(inject, "#!/bin/sh\n"
                + "# a stand-in for qmail-inject: -a -fSENDER RECIPIENT, the message on stdin\n"
                + "from=; rcpt=\n"
                + "for a; do case \"$a\" in -a) ;; -f*) from=${a#-f} ;; *) rcpt=$a ;; esac; done\n"
                + "printf '%s\\n' \"$@\" > \"$QMAILHOME/injected.args\"\n"
                + "cat > \"$QMAILHOME/injected.eml\"\n"
                + "exec '" + remote + "' '" + host + "' \"$from\" \"$rcpt\" < \"$QMAILHOME/injected.eml\" > \"$QMAILHOME/injected.reports\"\n");
        inject.toFile().setExecutable(true);
    }

    @Given("an HTTPS report receiver listens on localhost, and {string} publishes it as its rua")
    public void httpsReceiver(String domain) throws IOException {
        var certificate = world.bench().ca().leaf("localhost");
        receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext(null)));
        receiver.createContext("/tlsrpt", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posted.add(new Received(exchange.getRequestHeaders().getFirst("Content-Type"), body));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        receiver.start();
        world.bench().zone().txt("_smtp._tls." + domain + ".", "v=TLSRPTv1; rua=https://localhost:"
                + receiver.getAddress().getPort() + "/tlsrpt");
        world.bench().control("tlsrptca", "control/bench-ca.pem");
    }

    @When("tlsrpt runs for today")
    public void runTlsrpt() throws IOException, InterruptedException {
        world.bench().publishDns();
        Path launcher = world.command().path().toAbsolutePath().getParent().resolve("tlsrpt");
        Path empty = Files.createTempFile(world.bench().workDir(), "stdin", "");
        tlsrpt = new SenderCommand(launcher).run(List.of(LocalDate.now(ZoneOffset.UTC).toString()), empty,
                world.bench().environment(), world.bench().workDir());
        world.bench().awaitIdle();
    }

    @Then("tlsrpt exits {int} and says {string}")
    public void tlsrptSays(int status, String text) {
        String out = new String(tlsrpt.stdout(), StandardCharsets.UTF_8);
        String err = new String(tlsrpt.stderr(), StandardCharsets.UTF_8);
        assertThat(out).as("stdout (stderr: %s)", err).contains(text);
        assertThat(tlsrpt.exitStatus()).as("exit status; stdout %s, stderr %s", out, err).isEqualTo(status);
    }

    @Then("qmail-inject was asked for {string} from {string}")
    public void injectArgs(String recipient, String sender) throws IOException {
        assertThat(Files.readAllLines(world.bench().qmailHome().resolve("injected.args")))
                .containsExactly("-a", "-f" + sender, recipient);
    }

    @Then("{word} received the report mail with the headers:")
    public void receivedReportMail(String address, String headers) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        assertThat(messages).as("messages received by " + address).hasSize(1);
        String data = new String(messages.get(0).data(), StandardCharsets.US_ASCII).replace("\r\n", "\n");
        for (String header : headers.split("\n")) {
            assertThat(data).contains(header.strip());
        }
        lastReport = attachment(data);
    }

    private byte[] lastReport;

    /** The base64 body of the application/tlsrpt+gzip part. */
    private static byte[] attachment(String mail) {
        Matcher m = Pattern.compile("Content-Type: application/tlsrpt\\+gzip\\n(?:[^\\n]+\\n)*?\\n([A-Za-z0-9+/=\\n]+)\\n\\n--")
                .matcher(mail);
        assertThat(m.find()).as("an application/tlsrpt+gzip part in:\n" + mail).isTrue();
        return Base64.getMimeDecoder().decode(m.group(1));
    }

    @Then("the HTTPS receiver got one report as {string}")
    public void httpsGot(String contentType) {
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).contentType()).isEqualTo(contentType);
        lastReport = posted.get(0).body();
    }

    @Then("the HTTPS receiver got no report")
    public void httpsGotNone() {
        assertThat(posted).isEmpty();
    }

    /** RFC 8460 4.4 for an MTA-STS policy: its type, lines and mx patterns, counts and failure-details. */
    @Then("the report has the MTA-STS policy of {string} with mx {string}, {int} successful session(s) and {int} failed {string} for {string} at {string}")
    @SuppressWarnings("unchecked")
    public void reportSts(String domain, String mx, int successes, int failures, String result, String failedMx,
            String address) throws IOException {
        String json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(lastReport))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> report = (Map<String, Object>) Json.parse(json);
        assertThat(report).containsOnlyKeys("organization-name", "date-range", "contact-info", "report-id", "policies");
        List<Object> policies = (List<Object>) report.get("policies");
        assertThat(policies).as(json).hasSize(1);
        Map<String, Object> entry = (Map<String, Object>) policies.get(0);
        Map<String, Object> policy = (Map<String, Object>) entry.get("policy");
        assertThat(policy).containsOnlyKeys("policy-type", "policy-string", "policy-domain", "mx-host")
                .containsEntry("policy-type", "sts").containsEntry("policy-domain", domain)
                .containsEntry("mx-host", List.of(mx));
        assertThat((List<Object>) policy.get("policy-string")).containsExactly("version: STSv1", "mode: enforce",
                "mx: " + mx, "max_age: 86400");
        Map<String, Object> summary = (Map<String, Object>) entry.get("summary");
        assertThat(summary).containsEntry("total-successful-session-count", (long) successes)
                .containsEntry("total-failure-session-count", (long) failures);
        List<Object> details = (List<Object>) entry.get("failure-details");
        assertThat(details).hasSize(1);
        Map<String, Object> detail = (Map<String, Object>) details.get(0);
        assertThat(detail).containsEntry("result-type", result).containsEntry("receiving-mx-hostname", failedMx)
                .containsEntry("receiving-ip", address).containsEntry("failed-session-count", (long) failures);
        assertThat(detail.keySet()).isSubsetOf("result-type", "sending-mta-ip", "receiving-mx-hostname",
                "receiving-ip", "failed-session-count");
    }

    /** RFC 8460 4.4: the fields, their names exactly, and what they hold. */
    @Then("the report is RFC 8460 JSON for {string} with {int} successful and {int} failed {string} session(s) under {string}")
    @SuppressWarnings("unchecked")
    public void reportJson(String domain, int successes, int failures, String result, String policyType)
            throws IOException {
        String json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(lastReport))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> report = (Map<String, Object>) Json.parse(json);
        assertThat(report).containsOnlyKeys("organization-name", "date-range", "contact-info", "report-id", "policies");
        assertThat(report.get("organization-name")).isEqualTo("sender.test");
        assertThat(report.get("contact-info")).isEqualTo("postmaster@sender.test");
        assertThat((String) report.get("report-id")).isNotEmpty();
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat((Map<String, Object>) report.get("date-range")).containsOnlyKeys("start-datetime", "end-datetime")
                .containsEntry("start-datetime", day + "T00:00:00Z").containsEntry("end-datetime", day + "T23:59:59Z");
        List<Object> policies = (List<Object>) report.get("policies");
        assertThat(policies).hasSize(1);
        Map<String, Object> entry = (Map<String, Object>) policies.get(0);
        assertThat(entry).containsKeys("policy", "summary");
        Map<String, Object> policy = (Map<String, Object>) entry.get("policy");
        assertThat(policy.get("policy-type")).isEqualTo(policyType);
        assertThat(policy.get("policy-domain")).isEqualTo(domain);
        assertThat(policy.keySet()).isSubsetOf("policy-type", "policy-string", "policy-domain", "mx-host");
        Map<String, Object> summary = (Map<String, Object>) entry.get("summary");
        assertThat(summary).containsOnlyKeys("total-successful-session-count", "total-failure-session-count");
        assertThat(summary.get("total-successful-session-count")).isEqualTo((long) successes);
        assertThat(summary.get("total-failure-session-count")).isEqualTo((long) failures);
        if (failures == 0) {
            assertThat(entry).doesNotContainKey("failure-details");
            return;
        }
        List<Object> details = (List<Object>) entry.get("failure-details");
        assertThat(details).hasSize(1);
        Map<String, Object> detail = (Map<String, Object>) details.get(0);
        assertThat(detail.keySet()).isSubsetOf("result-type", "sending-mta-ip", "receiving-mx-hostname",
                "receiving-mx-helo", "receiving-ip", "failed-session-count", "additional-information",
                "failure-reason-code");
        assertThat(detail.get("result-type")).isEqualTo(result);
        assertThat(detail.get("failed-session-count")).isEqualTo((long) failures);
        assertThat(detail.get("receiving-mx-hostname")).isEqualTo("mx1." + domain);
        assertThat(detail.get("sending-mta-ip")).isEqualTo("127.0.0.1");
        assertThat(detail.get("receiving-ip")).isEqualTo("127.0.0.2");
    }
}
