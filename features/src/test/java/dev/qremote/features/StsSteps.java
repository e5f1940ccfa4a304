package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.PolicyServer;
import dev.qremote.fakemx.tls.IssuedCertificate;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * MTA-STS (RFC 8461): the TXT record at _mta-sts.DOMAIN in the fake DNS, and the policy host mta-sts.DOMAIN,
 * a fake HTTPS server on a loopback address with a certificate from the bench's CA.
 */
public final class StsSteps {
    private final World world;

    public StsSteps(World world) {
        this.world = world;
    }

    /** control/mtasts on, the bench's CA as control/mtastscafile, policies kept in control/mtastscache's directory. */
    @Given("MTA-STS is on")
    public void on() throws IOException {
        world.bench().control("mtasts", "on\n");
        world.bench().control("mtastscafile", "control/bench-ca.pem\n");
        world.bench().caFile();
        Files.createDirectories(world.bench().qmailHome().resolve("sts"));
        world.bench().control("mtastscache", "sts\n");
    }

    @Given("{string} publishes the MTA-STS record {string}")
    public void record(String domain, String text) {
        String name = "_mta-sts." + domain + ".";
        world.bench().zone().remove(name, Type.TXT);
        world.bench().zone().txt(name, text);
    }

    @Given("{string} publishes the MTA-STS id {string}")
    public void id(String domain, String id) {
        record(domain, "v=STSv1; id=" + id + ";");
    }

    @Given("the policy host of {string} on {word} serves:")
    public void serves(String domain, String address, String policy) throws IOException {
        server(domain, address, "a certificate").policy(policy + "\n");
    }

    @Given("the policy host of {string} on {word} with {policyCertificate} serves:")
    public void servesWith(String domain, String address, String kind, String policy) throws IOException {
        server(domain, address, kind).policy(policy + "\n");
    }

    @Given("the policy host of {string} on {word} answers {int} with {string} as {string}")
    public void answers(String domain, String address, int status, String body, String type) throws IOException {
        // an Examples cell's "\n" arrives as a line end already; one written in a step's own text does not
        server(domain, address, "a certificate").answer(status, type, body.replace("\\n", "\n"));
    }

    @Given("the policy host of {string} on {word} redirects to {string}")
    public void redirects(String domain, String address, String target) throws IOException {
        server(domain, address, "a certificate").redirect(target);
    }

    @Given("the policy host on {word} now serves:")
    public void nowServes(String address, String policy) {
        world.bench().policyServerOn(address).orElseThrow().policy(policy + "\n");
    }

    @Given("the policy host on {word} is down")
    public void down(String address) {
        world.bench().stopPolicyServer(address);
    }

    @io.cucumber.java.ParameterType("a certificate|an expired certificate|a certificate for another name|a self-signed certificate")
    public String policyCertificate(String kind) {
        return kind;
    }

    @Then("the policy host on {word} was asked {int} time(s)")
    public void asked(String address, int times) {
        assertThat(requests(address)).hasSize(times);
    }

    @Then("the policy host on {word} was asked for {string} with SNI {string} and Host {string}")
    public void askedWith(String address, String path, String sni, String host) {
        List<PolicyServer.Request> requests = requests(address);
        assertThat(requests).isNotEmpty();
        PolicyServer.Request last = requests.get(requests.size() - 1);
        assertThat(last.path()).isEqualTo(path);
        assertThat(last.sni()).isEqualTo(sni);
        assertThat(last.host()).isEqualTo(host.replace("HTTPS_PORT", Integer.toString(world.bench().httpsPort())));
    }

    private List<PolicyServer.Request> requests(String address) {
        return world.bench().policyServerOn(address).map(PolicyServer::requests).orElse(List.of());
    }

    private PolicyServer server(String domain, String address, String kind) throws IOException {
        String host = "mta-sts." + domain;
        var ca = world.bench().ca();
        IssuedCertificate certificate = switch (kind) {
            case "an expired certificate" -> ca.expired(host);
            case "a certificate for another name" -> ca.leaf("www." + domain);
            case "a self-signed certificate" -> ca.selfSigned(host);
            default -> ca.leaf(host);
        };
        world.bench().zone().remove(host + ".", Type.A);
        world.bench().zone().a(host + ".", address);
        return world.bench().policyServer(address, certificate);
    }
}
