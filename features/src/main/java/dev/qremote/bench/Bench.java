package dev.qremote.bench;

import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.Pem;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.fakemx.PolicyServer;
import dev.qremote.fakemx.QmtpScript;
import dev.qremote.fakemx.QmtpServer;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One isolated world for a delivery: a qmail home with its control directory, a fake DNS server holding a
 * signed test root and the zone {@code test.} (insecure unless a scenario signs it), fake mail exchangers
 * on loopback addresses (127.0.0.2, 127.0.0.3, ...) and a test CA for their certificates. On high ports
 * (the default; nothing needs root) every exchanger listens on one high port and the sender is told it and
 * the DNS server through its environment. On real ports ({@link #onRealPorts}, inside the namespace of
 * bench/interop/namespace) the servers listen where any qmail-remote looks: DNS on 127.0.0.1:53, SMTP on
 * 25, QMTP on 209; the command gets no variables and finds the qmail home on /var/qmail.
 */
public final class Bench implements Closeable {
    /** Where a qmail-remote with compiled-in paths finds its home; real ports bind the bench's home over it. */
    public static final Path COMPILED_IN_HOME = Path.of("/var/qmail");

    /** The services the bench serves, with the ports they have on real ports. */
    public enum Service {
        DNS(53), SMTP(25), QMTP(209), HTTPS(443);

        private final int wellKnown;

        Service(int wellKnown) {
            this.wellKnown = wellKnown;
        }

        public int wellKnownPort() {
            return wellKnown;
        }
    }

    private final Path workDir;
    private final Path qmailHome;
    private final FakeDnsServer dns;
    private final FakeZone zone;
    /** High ports: holds the port every exchanger shares; null on real ports. */
    private final ServerSocket portAnchor;
    /** High ports: holds the MTA-STS policy hosts' HTTPS port; null on real ports. */
    private final ServerSocket httpsAnchor;
    private final Map<String, PolicyServer> policyServers = new LinkedHashMap<>();
    /** Real ports: bench/interop/deliver, which binds the home over /var/qmail for one delivery; else null. */
    private final Path homeBinder;
    private final Map<String, SmtpServer> exchangers = new LinkedHashMap<>();
    private final Map<String, QmtpServer> qmtpServers = new LinkedHashMap<>();
    private final Map<String, IssuedCertificate> certificates = new LinkedHashMap<>();
    private TestCertificates ca;
    private Trust zoneTrust = Trust.INSECURE;
    private boolean customTrustAnchors;
    private final List<Closeable> blackHoles = new ArrayList<>();

    /** A bench on high ports. */
    public Bench() throws IOException {
        this(null);
    }

    /**
     * A bench on real ports, for a JVM inside bench/interop/namespace; {@code homeBinder} is
     * bench/interop/deliver. Fails when port 53 is taken or not ours to bind.
     */
    public static Bench onRealPorts(Path homeBinder) throws IOException {
        return new Bench(java.util.Objects.requireNonNull(homeBinder));
    }

    private Bench(Path homeBinder) throws IOException {
        this.homeBinder = homeBinder;
        workDir = Files.createTempDirectory("qremote-bench");
        qmailHome = workDir.resolve("qmail");
        Files.createDirectories(qmailHome.resolve("control"));
        if (homeBinder == null) {
            dns = FakeDnsServer.start(InetAddress.getLoopbackAddress(), 0);
            // holds the shared SMTP port on an address nobody routes mail to, so it stays ours
            portAnchor = new ServerSocket();
            portAnchor.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.254"), 0));
            // the same for the MTA-STS policy hosts' HTTPS port
            httpsAnchor = new ServerSocket();
            httpsAnchor.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.254"), 0));
        } else {
            dns = FakeDnsServer.start(InetAddress.getByName("127.0.0.1"), Service.DNS.wellKnownPort());
            portAnchor = null;
            httpsAnchor = null;
        }
        zone = FakeZone.of("test.");
    }

    /** The port the fake MTA-STS policy hosts listen on, which the sender is told to use instead of 443. */
    public int httpsPort() {
        return port(Service.HTTPS);
    }

    /**
     * An MTA-STS policy host on {@code address} presenting {@code certificate} (made by the bench's CA), started
     * now; one already there is replaced.
     */
    public PolicyServer policyServer(String address, IssuedCertificate certificate) throws IOException {
        stopPolicyServer(address);
        PolicyServer server = PolicyServer.start(InetAddress.getByName(address), httpsPort(), certificate);
        policyServers.put(address, server);
        return server;
    }

    /** The policy host on {@code address}, if one runs. */
    public java.util.Optional<PolicyServer> policyServerOn(String address) {
        return java.util.Optional.ofNullable(policyServers.get(address));
    }

    /** Stops the policy host on {@code address}: nothing listens there any more. */
    public void stopPolicyServer(String address) {
        PolicyServer old = policyServers.remove(address);
        if (old != null) {
            old.close();
        }
    }

    /** True on real ports ({@link #onRealPorts}). */
    public boolean realPorts() {
        return homeBinder != null;
    }

    /** The port {@code service} listens on: its well-known port on real ports, else the bench's own. */
    public int port(Service service) {
        if (realPorts()) {
            return service.wellKnownPort();
        }
        return switch (service) {
            case DNS -> dns.address().getPort();
            case HTTPS -> httpsAnchor.getLocalPort();
            default -> portAnchor.getLocalPort();
        };
    }

    /**
     * {@code file} as the command under test names it: under /var/qmail on real ports when it lies in the
     * qmail home, else as it is.
     */
    public Path seenByCommand(Path file) {
        if (realPorts() && file.startsWith(qmailHome)) {
            return COMPILED_IN_HOME.resolve(qmailHome.relativize(file));
        }
        return file;
    }

    public Path workDir() {
        return workDir;
    }

    public Path qmailHome() {
        return qmailHome;
    }

    public FakeDnsServer dns() {
        return dns;
    }

    /** The zone {@code test.}: add records to it; the DNS server sees changes at once. */
    public FakeZone zone() {
        return zone;
    }

    public int smtpPort() {
        return port(Service.SMTP);
    }

    public void control(String name, String content) throws IOException {
        Path file = qmailHome.resolve("control").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        customTrustAnchors |= name.equals("trustanchors");
    }

    /**
     * How DNSSEC sees the zone {@code test.}: by default INSECURE (an unsigned delegation from the signed
     * test root, so validation works and says "insecure", as for most of the real internet).
     */
    public void zoneTrust(Trust trust) {
        this.zoneTrust = trust;
    }

    /** The bench's test CA, made when first needed. Its root certificate is control/bench-ca.pem. */
    public TestCertificates ca() throws IOException {
        if (ca == null) {
            ca = TestCertificates.create(KeyKind.ECDSA);
            Files.writeString(qmailHome.resolve("control/bench-ca.pem"), Pem.certificate(ca.root()));
        }
        return ca;
    }

    public Path caFile() throws IOException {
        ca();
        return qmailHome.resolve("control/bench-ca.pem");
    }

    /**
     * Client certificate files for the sender, made on first use under control/: "client.pem" (chain),
     * "client-combined.pem" (chain and key), "client.key" (PKCS#8), "client-encrypted.key" (PKCS#8 under
     * AES-256 with the password "s3cret"), "other.key" (a key that belongs to no certificate here).
     */
    public Path clientFile(String name) throws IOException {
        Path dir = qmailHome.resolve("control");
        if (!Files.exists(dir.resolve("client.pem"))) {
            IssuedCertificate client = ca().leaf("client.sender.test");
            Files.writeString(dir.resolve("client.pem"), client.chainPem());
            Files.writeString(dir.resolve("client-combined.pem"), client.chainPem() + client.keyPem());
            Files.writeString(dir.resolve("client.key"), client.keyPem());
            Files.writeString(dir.resolve("client-encrypted.key"), EncryptedKeys.pem(client.key(), "s3cret"));
            Files.writeString(dir.resolve("other.key"), ca().leaf("other.test").keyPem());
        }
        return dir.resolve(name);
    }

    /** Remembers the certificate an exchanger presents, for TLSA records and fingerprints. */
    public void certificate(String address, IssuedCertificate certificate) {
        certificates.put(address, certificate);
    }

    public IssuedCertificate certificateOf(String address) {
        IssuedCertificate c = certificates.get(address);
        if (c == null) {
            throw new IllegalStateException("the mail exchanger on " + address + " has no certificate");
        }
        return c;
    }

    /**
     * Signs what the scenario built (the test root always; the zone test. as {@link #zoneTrust}) and
     * serves it, with the root's key in control/trustanchors unless the scenario wrote its own.
     */
    public void publishDns() throws IOException {
        SignedHierarchy tree = SignedHierarchy.builder().zone(zone, zoneTrust).build();
        dns.replaceZones(tree.zones());
        if (!customTrustAnchors && Files.isDirectory(qmailHome.resolve("control"))) {
            Files.writeString(qmailHome.resolve("control/trustanchors"), tree.trustAnchor());
        }
    }

    /** The fake SMTP server at {@code address}, started with a polite script when first asked for. */
    public SmtpServer exchanger(String address) throws IOException {
        SmtpServer server = exchangers.get(address);
        if (server == null) {
            server = SmtpServer.start(InetAddress.getByName(address), smtpPort(), SmtpScript.polite());
            exchangers.put(address, server);
        }
        return server;
    }

    /** A fake QMTP server at {@code address} on the QMTP port ({@link #port}), with {@code script}. */
    public QmtpServer qmtpServer(String address, QmtpScript script) throws IOException {
        QmtpServer server = qmtpServers.get(address);
        if (server == null) {
            server = QmtpServer.start(InetAddress.getByName(address), port(Service.QMTP), script);
            qmtpServers.put(address, server);
        } else {
            server.script(script);
        }
        return server;
    }

    public QmtpServer qmtpServer(String address) {
        QmtpServer server = qmtpServers.get(address);
        if (server == null) {
            throw new IllegalStateException("no QMTP server on " + address);
        }
        return server;
    }

    /** The QMTP servers started so far, by address, in start order. */
    public Map<String, QmtpServer> qmtpServers() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(qmtpServers));
    }

    public Map<String, SmtpServer> exchangers() {
        return Map.copyOf(exchangers);
    }

    /**
     * A listener at {@code address} whose accept queue is full and never drained: connection attempts there
     * get no answer and time out, like a host behind a firewall that drops packets.
     */
    public void blackHole(String address) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getByName(address), smtpPort()), 1);
        blackHoles.add(listener);
        for (int i = 0; i < 4; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(listener.getLocalSocketAddress(), 200);
                blackHoles.add(filler);
            } catch (IOException e) {
                filler.close();
                break; // the queue is full
            }
        }
    }

    /** The environment that points the sender at this bench: none on real ports. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        if (realPorts()) {
            return env;
        }
        env.put("QMAILHOME", qmailHome.toString());
        env.put("QREMOTE_DNS", "127.0.0.1:" + dns.address().getPort());
        env.put("QREMOTE_SMTP_PORT", Integer.toString(smtpPort()));
        env.put("QREMOTE_HTTPS_PORT", Integer.toString(httpsPort()));
        return env;
    }

    public SenderRun deliver(SenderCommand command, List<String> args, byte[] message)
            throws IOException, InterruptedException {
        return deliver(command, args, message, Map.of());
    }

    /** Writes the message to a file (qmail-rspawn gives a file too) and delivers it; {@code extra} adds to the environment. */
    public SenderRun deliver(SenderCommand command, List<String> args, byte[] message, Map<String, String> extra)
            throws IOException, InterruptedException {
        Path messageFile = Files.createTempFile(workDir, "message", ".eml");
        Files.write(messageFile, message);
        return deliver(command, args, messageFile, extra);
    }

    /** Publishes the DNS data, runs the command with {@code stdin}, waits until the fake servers are done. */
    public SenderRun deliver(SenderCommand command, List<String> args, Path stdin, Map<String, String> extra)
            throws IOException, InterruptedException {
        return deliver(command, args, stdin, false, extra);
    }

    /** As {@link #deliver(SenderCommand, List, Path, Map)}; with {@code pipe}, through a pipe, not as a file. */
    public SenderRun deliver(SenderCommand command, List<String> args, Path stdin, boolean pipe,
            Map<String, String> extra) throws IOException, InterruptedException {
        return deliver(command, args, stdin, pipe, extra, process -> { });
    }

    /** As {@link #deliver(SenderCommand, List, Path, boolean, Map)}, with {@code meanwhile} run beside it. */
    public SenderRun deliver(SenderCommand command, List<String> args, Path stdin, boolean pipe,
            Map<String, String> extra, java.util.function.Consumer<Process> meanwhile)
            throws IOException, InterruptedException {
        publishDns();
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        SenderCommand effective = realPorts() ? command.wrapped(List.of(homeBinder.toString(), qmailHome.toString()))
                : command;
        SenderRun run = effective.run(args, stdin, pipe, env, workDir, meanwhile);
        awaitIdle();
        return run;
    }

    /** Waits until every fake server has finished its sessions. */
    public void awaitIdle() throws InterruptedException {
        for (SmtpServer server : exchangers.values()) {
            server.awaitIdle(java.time.Duration.ofSeconds(10));
        }
        for (QmtpServer server : qmtpServers.values()) {
            server.awaitIdle(java.time.Duration.ofSeconds(10));
        }
    }

    /** Every session of every exchanger, rendered for a report. */
    public String transcripts() {
        StringBuilder out = new StringBuilder();
        exchangers.forEach((address, server) -> {
            int n = 0;
            for (var t : server.transcripts()) {
                out.append("== ").append(address).append(" session ").append(++n).append('\n').append(t.render());
            }
        });
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        exchangers.values().forEach(SmtpServer::close);
        qmtpServers.values().forEach(QmtpServer::close);
        policyServers.values().forEach(PolicyServer::close);
        if (httpsAnchor != null) {
            httpsAnchor.close();
        }
        for (Closeable c : blackHoles) {
            c.close();
        }
        dns.close();
        if (portAnchor != null) {
            portAnchor.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
