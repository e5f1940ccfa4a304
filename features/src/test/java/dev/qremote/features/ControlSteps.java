package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.Bench;
import dev.qremote.bench.ReportText;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** The qmail home: control files, and the timeout memory in queue/lock/tcpto. */
public final class ControlSteps {
    private static final int TCPTO_RECORD = 16;
    private final World world;

    public ControlSteps(World world) {
        this.world = world;
    }

    @Given("the control file {string} contains {string}")
    public void controlFileContains(String name, String escaped) throws IOException {
        world.bench().control(name, withPort(ReportText.latin1(ReportText.bytes(Repeats.expand(escaped)))) + "\n");
    }

    @Given("the control file {string} contains:")
    public void controlFileContainsLines(String name, String content) throws IOException {
        world.bench().control(name, withPort(content) + "\n");
    }

    @Given("the control file {string} exists")
    public void controlFileExists(String name) throws IOException {
        world.bench().control(name, "");
    }

    @Given("the control file {string} holds the bench CA")
    public void controlFileHoldsCa(String name) throws IOException {
        world.bench().control(name, Files.readString(world.bench().caFile()));
    }

    @Given("the control file {string} holds the client certificate and its key")
    public void controlFileHoldsClientIdentity(String name) throws IOException {
        world.bench().control(name, Files.readString(world.bench().clientFile("client-combined.pem")));
    }

    @Given("the client certificate files exist")
    public void clientFilesExist() throws IOException {
        world.bench().clientFile("client.pem");
    }

    @Given("the control file {string} is a directory")
    public void controlFileIsADirectory(String name) throws IOException {
        Files.createDirectories(controlDir().resolve(name));
    }

    /** A FIFO opens only when a writer comes: whatever opens it without looking first blocks for good. */
    @Given("the control file {string} is a FIFO")
    public void controlFileIsAFifo(String name) throws IOException, InterruptedException {
        Path fifo = controlDir().resolve(name);
        Files.createDirectories(fifo.getParent());
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).as("mkfifo").isZero();
    }

    @Given("the control file {string} holds {int} MiB of routes")
    public void controlFileHoldsRoutes(String name, int mebibytes) throws IOException {
        byte[] line = "some-domain-that-is-not-the-destination.test:relay.test:2525\n".getBytes();
        try (OutputStream out = Files.newOutputStream(controlDir().resolve(name))) {
            for (long written = 0; written < mebibytes * 1024L * 1024L; written += line.length) {
                out.write(line);
            }
        }
    }

    @Given("the qmail home does not exist")
    public void qmailHomeDoesNotExist() throws IOException {
        try (Stream<Path> files = Files.walk(world.bench().qmailHome())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Given("the timeout memory file exists")
    public void tcptoExists() throws IOException {
        Files.createDirectories(tcpto().getParent());
        Files.write(tcpto(), new byte[1024]);
    }

    @Given("the timeout memory says {word} timed out twice just now")
    public void tcptoSaysTimedOut(String address) throws IOException {
        tcptoExists();
        byte[] table = Files.readAllBytes(tcpto());
        System.arraycopy(InetAddress.getByName(address).getAddress(), 0, table, 0, 4);
        table[4] = 2;
        long now = Instant.now().getEpochSecond();
        for (int k = 0; k < 4; k++) {
            table[8 + k] = (byte) (now >>> (8 * k));
        }
        Files.write(tcpto(), table);
    }

    @Then("the timeout memory holds {int} timeout(s) for {word}")
    public void tcptoHolds(int errors, String address) throws IOException {
        byte[] table = Files.readAllBytes(tcpto());
        byte[] ip = InetAddress.getByName(address).getAddress();
        for (int i = 0; i + TCPTO_RECORD <= table.length; i += TCPTO_RECORD) {
            if (table[i] == ip[0] && table[i + 1] == ip[1] && table[i + 2] == ip[2] && table[i + 3] == ip[3]) {
                assertThat(table[i + 4]).as("errors recorded for " + address).isEqualTo((byte) errors);
                return;
            }
        }
        assertThat(errors).as("no record for " + address).isZero();
    }

    /**
     * "{smtp-port}" stands for the port every fake mail exchanger of the bench listens on, "{qmtp-port}" for
     * that of its QMTP servers, "{qmail-home}" for the qmail home, "{ca-file}" for the bench CA's certificate
     * file, "{sha256:127.0.0.2}" for a fingerprint of that exchanger's certificate; paths as the command under
     * test sees them (under /var/qmail on real ports).
     */
    private String withPort(String text) throws IOException {
        Bench bench = world.bench();
        String out = text.replace("{smtp-port}", Integer.toString(bench.port(Bench.Service.SMTP)))
                .replace("{qmtp-port}", Integer.toString(bench.port(Bench.Service.QMTP)))
                .replace("{qmail-home}", bench.seenByCommand(bench.qmailHome()).toString());
        if (out.contains("{ca-file}")) {
            out = out.replace("{ca-file}", bench.seenByCommand(bench.caFile()).toString());
        }
        for (String file : new String[] {"client.pem", "client-combined.pem", "client.key", "client-encrypted.key",
            "other.key"}) {
            if (out.contains("{" + file + "}")) {
                out = out.replace("{" + file + "}", bench.seenByCommand(bench.clientFile(file)).toString());
            }
        }
        return TlsSteps.fingerprints(world, out);
    }

    private Path controlDir() {
        return world.bench().qmailHome().resolve("control");
    }

    private Path tcpto() {
        return world.bench().qmailHome().resolve("queue/lock/tcpto");
    }
}
