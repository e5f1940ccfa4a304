package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.tls.IssuedCertificate;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Locale;

/** Certificates of the fake mail exchangers, DNSSEC for the zone, TLSA records, and what TLS settled. */
public final class TlsSteps {
    private final World world;
    private final MailExchangerSteps exchangers;

    public TlsSteps(World world, MailExchangerSteps exchangers) {
        this.world = world;
        this.exchangers = exchangers;
    }

    @Given("the mail exchanger on {word} offers STARTTLS with {certificateKind} for {string}")
    public void offersStarttls(String address, String kind, String name) throws IOException {
        IssuedCertificate certificate = issue(kind, name);
        world.bench().certificate(address, certificate);
        exchangers.configure(address, b -> b.starttls(certificate));
    }

    @Given("the mail exchanger on {word} speaks TLS from the first byte with {certificateKind} for {string}")
    public void implicitTls(String address, String kind, String name) throws IOException {
        IssuedCertificate certificate = issue(kind, name);
        world.bench().certificate(address, certificate);
        exchangers.configure(address, b -> b.implicitTls(certificate));
    }

    @io.cucumber.java.ParameterType("a certificate|an expired certificate|a self-signed certificate|a certificate via an intermediate|a wildcard certificate")
    public String certificateKind(String kind) {
        return kind;
    }

    private IssuedCertificate issue(String kind, String name) throws IOException {
        var ca = world.bench().ca();
        return switch (kind) {
            case "an expired certificate" -> ca.expired(name);
            case "a self-signed certificate" -> ca.selfSigned(name);
            case "a certificate via an intermediate" -> ca.leafViaIntermediate(name);
            case "a wildcard certificate" -> ca.leaf("*." + name.substring(name.indexOf('.') + 1));
            default -> ca.leaf(name);
        };
    }

    @Given("the mail exchanger on {word} demands a client certificate")
    public void demandsClientCertificate(String address) throws IOException {
        var root = world.bench().ca().root();
        exchangers.configure(address, b -> b.clientCertificates(root));
    }

    @Then("the session with {word} presented the client certificate {string}")
    public void presentedClientCertificate(String address, String subject) throws IOException {
        SmtpServer server = world.bench().exchanger(address);
        assertThat(server.tlsSessions()).isNotEmpty();
        assertThat(server.tlsSessions().get(0).clientSubject()).isEqualTo(subject);
    }

    @Given("DNSSEC signs the zone")
    public void signed() {
        world.bench().zoneTrust(Trust.SECURE);
    }

    @Given("the DNS server sets the AD bit for signed zones, as a validating resolver")
    public void validatingResolver() {
        world.bench().dns().actAsValidatingResolver(true);
    }

    @Given("the zone is not signed")
    public void insecure() {
        world.bench().zoneTrust(Trust.INSECURE);
    }

    @Given("DNSSEC signs the zone with broken signatures")
    public void bogus() {
        world.bench().zoneTrust(Trust.BAD_SIGNATURE);
    }

    @Given("{string} has a TLSA record {int} {int} {int} for the certificate of {word}")
    public void tlsaForCertificate(String name, int usage, int selector, int matching, String address) {
        byte[] data = world.bench().certificateOf(address).tlsaData(usage, selector, matching);
        world.bench().zone().tlsa(name + ".", usage, selector, matching, data);
    }

    @Given("{string} has a TLSA record {int} {int} {int} {string}")
    public void tlsa(String name, int usage, int selector, int matching, String hex) {
        world.bench().zone().tlsa(name + ".", usage, selector, matching, HexFormat.of().parseHex(hex));
    }

    @Then("the session with {word} was encrypted with SNI {string}")
    public void encrypted(String address, String sni) throws IOException {
        SmtpServer server = world.bench().exchanger(address);
        assertThat(server.tlsSessions()).as("TLS sessions of " + address).isNotEmpty();
        assertThat(server.tlsSessions().get(server.tlsSessions().size() - 1)).isNotNull()
                .satisfies(t -> assertThat(t.serverName()).isEqualTo(sni));
    }

    @Then("the session with {word} used the cipher suite {string}")
    public void cipher(String address, String suite) throws IOException {
        SmtpServer server = world.bench().exchanger(address);
        assertThat(server.tlsSessions()).isNotEmpty();
        assertThat(server.tlsSessions().get(0).cipherSuite()).isEqualTo(suite);
    }

    @Then("the sessions with {word} were: {string}")
    public void sessions(String address, String expected) throws IOException {
        SmtpServer server = world.bench().exchanger(address);
        StringBuilder actual = new StringBuilder();
        for (var t : server.tlsSessions()) {
            actual.append(actual.length() > 0 ? ", " : "").append(t == null ? "plaintext" : "TLS");
        }
        assertThat(actual.toString()).isEqualTo(expected);
    }

    /** "{sha256:127.0.0.2}" and the like: the fingerprint of that exchanger's certificate. */
    static String fingerprints(World world, String text) {
        String out = text;
        for (String digest : new String[] {"sha1", "sha224", "sha256", "sha512"}) {
            int at;
            while ((at = out.indexOf("{" + digest + ":")) >= 0) {
                int end = out.indexOf('}', at);
                String address = out.substring(at + digest.length() + 2, end);
                String name = digest.toUpperCase(Locale.ROOT).replace("SHA", "SHA-");
                out = out.substring(0, at) + world.bench().certificateOf(address).fingerprint(name) + out.substring(end + 1);
            }
        }
        return out;
    }

    static String unescape(String s) {
        return ReportText.latin1(ReportText.bytes(s));
    }
}
