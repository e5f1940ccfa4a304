package dev.qremote.sender.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.dns.Tlsa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session reuse through the shared contexts over real loopback TLS, and its safety rule: a resumed session
 * is judged again by each connection's own policy; identities never share sessions.
 */
class TlsContextsTest {
    private static final String MX = "mx.resume.test";
    private static final TestCertificates CA = TestCertificates.create(KeyKind.ECDSA);
    private static final TestCertificates OTHER_CA = TestCertificates.create(KeyKind.RSA);
    private static final IssuedCertificate SERVER = CA.leaf(MX);

    @TempDir
    Path dir;

    private final TlsContexts contexts = new TlsContexts(Clock.systemUTC());
    private final List<LoopbackTlsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (LoopbackTlsServer server : servers) {
            server.close();
        }
    }

    private LoopbackTlsServer server(String protocol) throws Exception {
        LoopbackTlsServer server = new LoopbackTlsServer(SERVER, protocol);
        servers.add(server);
        return server;
    }

    /** Handshakes, reads the server's byte (which also takes in a TLS 1.3 ticket), closes. */
    private static TlsClient connect(TlsContexts contexts, InetSocketAddress at, TlsPolicy policy, List<Tlsa> tlsa,
            List<String> names, Optional<ClientIdentity> identity) throws IOException, TlsConfigException {
        return connect(contexts, at, policy, tlsa, names, identity, MX);
    }

    private static TlsClient connect(TlsContexts contexts, InetSocketAddress at, TlsPolicy policy, List<Tlsa> tlsa,
            List<String> names, Optional<ClientIdentity> identity, String serverName)
            throws IOException, TlsConfigException {
        TlsClient client = contexts.client(policy, tlsa, names, identity);
        Socket plain = new Socket(at.getAddress(), at.getPort());
        plain.setSoTimeout(20_000);
        try (SSLSocket ssl = client.handshake(plain, serverName)) {
            assertThat(ssl.getInputStream().read()).isEqualTo('+');
        } finally {
            plain.close();
        }
        return client;
    }

    private TlsClient connect(InetSocketAddress at, TlsPolicy policy) throws IOException, TlsConfigException {
        return connect(contexts, at, policy, List.of(), List.of(MX), Optional.empty());
    }

    private static TlsPolicy pinned(String fingerprint) {
        return TlsPolicy.builder().mode(TlsMode.MANDATORY).verification(Verification.PINNED)
                .fingerprint(Optional.of(fingerprint)).build();
    }

    private String caFile(String name, java.security.cert.X509Certificate root) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, dev.qremote.fakemx.tls.Pem.certificate(root), StandardCharsets.US_ASCII);
        return file.toString();
    }

    /**
     * The failure of a handshake that the server saw as a resumption (it did not use its key) and that the
     * client then refused by its policy.
     */
    private static PeerFailure refusedAfterResuming(LoopbackTlsServer server, TlsClient client) throws IOException {
        int full = server.fullHandshakes();
        PeerFailure failure = refusal(client, handshakeFailure(client, server.address()));
        assertThat(client.resumed()).isTrue();
        assertThat(server.fullHandshakes()).as("the server resumed").isEqualTo(full);
        return failure;
    }

    private static PeerFailure refusal(TlsClient client, IOException e) {
        assertThat(e).isInstanceOf(SSLHandshakeException.class);
        assertThat(client.verifier().failure()).isNotNull();
        return client.verifier().failure().failure();
    }

    /**
     * Two MX names on one address: a session of the first is not offered on a connection to the second,
     * which says its own name (SNI). Sessions keyed by address alone once sent the first MX's name, and a
     * server choosing its certificate by name gave the wrong one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anotherNameOnTheSameAddressStartsItsOwnSession(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);
        TlsPolicy any = TlsPolicy.opportunistic();
        connect(contexts, server.address(), any, List.of(), List.of(MX), Optional.empty(), MX);
        TlsClient other = connect(contexts, server.address(), any, List.of(), List.of("mx2.resume.test"),
                Optional.empty(), "mx2.resume.test");
        assertThat(other.resumed()).isFalse();
        assertThat(server.serverNames()).containsExactly(MX, "mx2.resume.test");
        TlsClient again = connect(contexts, server.address(), any, List.of(), List.of(MX), Optional.empty(), MX);
        assertThat(again.resumed()).as("the first name's session is still there for it").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theSecondConnectionToAServerResumesTheFirstsSession(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);

        TlsClient first = connect(server.address(), TlsPolicy.opportunistic());
        TlsClient second = connect(server.address(), TlsPolicy.opportunistic());

        assertThat(first.resumed()).isFalse();
        assertThat(second.resumed()).isTrue();
        assertThat(second.verifier().outcome()).isEqualTo(TlsOutcome.ENCRYPTED);
        assertThat(server.handshakes()).isEqualTo(2);
        assertThat(server.fullHandshakes()).as("the server used its key once").isEqualTo(1);
    }

    @Test
    void separateServicesDoNotShareSessions() throws Exception {
        LoopbackTlsServer server = server("TLSv1.3");
        connect(server.address(), TlsPolicy.opportunistic());

        TlsClient other = connect(new TlsContexts(Clock.systemUTC()), server.address(), TlsPolicy.opportunistic(),
                List.of(), List.of(MX), Optional.empty());

        assertThat(other.resumed()).isFalse();
        assertThat(server.fullHandshakes()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aResumedConnectionWithAWrongPinIsRefused(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);
        connect(server.address(), TlsPolicy.opportunistic());
        TlsClient right = connect(server.address(), pinned(SERVER.fingerprint("SHA-256")));
        assertThat(right.resumed()).isTrue();
        assertThat(right.verifier().outcome()).isEqualTo(TlsOutcome.PINNED);

        TlsClient wrong = contexts.client(pinned("00".repeat(32)), List.of(), List.of(MX), Optional.empty());
        assertThat(refusedAfterResuming(server, wrong)).isEqualTo(PeerFailure.PIN_MISMATCH);
        assertThat(wrong.resumed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aResumedConnectionWhoseTlsaRecordsDoNotMatchIsRefused(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);
        connect(server.address(), TlsPolicy.opportunistic());
        TlsPolicy dane = TlsPolicy.builder().mode(TlsMode.MANDATORY).build();
        TlsClient ee = connect(contexts, server.address(), dane, List.of(new Tlsa(3, 1, 1, SERVER.tlsaData(3, 1, 1))),
                List.of(MX), Optional.empty());
        assertThat(ee.resumed()).isTrue();
        assertThat(ee.verifier().outcome()).isEqualTo(TlsOutcome.TLSA);

        List<Tlsa> other = List.of(new Tlsa(3, 1, 1, CA.leaf(MX).tlsaData(3, 1, 1)));
        TlsClient mismatch = contexts.client(dane, other, List.of(MX), Optional.empty());
        assertThat(refusedAfterResuming(server, mismatch)).isEqualTo(PeerFailure.TLSA_MISMATCH);
        assertThat(mismatch.resumed()).isTrue();

        connect(server.address(), TlsPolicy.opportunistic()); // a TLS 1.3 ticket is good once: a fresh one
        List<Tlsa> taOfAnotherCa = List.of(new Tlsa(2, 0, 1, OTHER_CA.leaf(MX).tlsaData(2, 0, 1)));
        TlsClient wrongTa = contexts.client(dane, taOfAnotherCa, List.of(MX), Optional.empty());
        assertThat(refusedAfterResuming(server, wrongTa)).isEqualTo(PeerFailure.TLSA_MISMATCH);
        assertThat(wrongTa.resumed()).isTrue();

        connect(server.address(), TlsPolicy.opportunistic());

        List<Tlsa> taWrongName = List.of(new Tlsa(2, 0, 1, SERVER.tlsaData(2, 0, 1)));
        TlsClient wrongName = contexts.client(dane, taWrongName, List.of("mx.elsewhere.test"), Optional.empty());
        assertThat(refusedAfterResuming(server, wrongName))
                .isEqualTo(PeerFailure.TLSA_MISMATCH);
        assertThat(wrongName.resumed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aResumedConnectionIsHeldToItsOwnCaAndName(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);
        String ours = caFile("ours.pem", CA.root());
        String theirs = caFile("theirs.pem", OTHER_CA.root());
        TlsPolicy exact = TlsPolicy.builder().mode(TlsMode.MANDATORY).verification(Verification.CA_AND_NAME_EXACT)
                .caLocation(Optional.of(ours)).build();
        TlsClient first = connect(contexts, server.address(), exact, List.of(), List.of(MX), Optional.empty());
        assertThat(first.verifier().outcome()).isEqualTo(TlsOutcome.CA_AND_NAME_EXACT);
        TlsPolicy shallow = exact.toBuilder().verification(Verification.CA).verifyDepth(java.util.OptionalInt.of(0))
                .build();
        TlsClient again = connect(contexts, server.address(), shallow, List.of(), List.of(MX), Optional.empty());
        assertThat(again.resumed()).isTrue();
        assertThat(again.verifier().outcome()).isEqualTo(TlsOutcome.CA);

        TlsClient otherName = contexts.client(exact, List.of(), List.of("mx.elsewhere.test"), Optional.empty());
        assertThat(refusedAfterResuming(server, otherName))
                .isEqualTo(PeerFailure.NAME_MISMATCH);
        assertThat(otherName.resumed()).isTrue();

        connect(server.address(), TlsPolicy.opportunistic());
        TlsPolicy otherCa = exact.toBuilder().caLocation(Optional.of(theirs)).build();
        TlsClient untrusted = contexts.client(otherCa, List.of(), List.of(MX), Optional.empty());
        assertThat(refusedAfterResuming(server, untrusted))
                .isEqualTo(PeerFailure.UNTRUSTED);
        assertThat(untrusted.resumed()).isTrue();
    }

    @Test
    void differentClientIdentitiesNeverShareASession() throws Exception {
        LoopbackTlsServer server = server("TLSv1.3");
        ClientIdentity alice = contexts.identity(identityFiles("alice"));
        ClientIdentity bob = contexts.identity(identityFiles("bob"));

        TlsClient a1 = connect(contexts, server.address(), TlsPolicy.opportunistic(), List.of(), List.of(MX),
                Optional.of(alice));
        TlsClient a2 = connect(contexts, server.address(), TlsPolicy.opportunistic(), List.of(), List.of(MX),
                Optional.of(alice));
        TlsClient b1 = connect(contexts, server.address(), TlsPolicy.opportunistic(), List.of(), List.of(MX),
                Optional.of(bob));
        TlsClient none = connect(contexts, server.address(), TlsPolicy.opportunistic(), List.of(), List.of(MX),
                Optional.empty());

        assertThat(a1.resumed()).isFalse();
        assertThat(a2.resumed()).isTrue();
        assertThat(b1.resumed()).isFalse();
        assertThat(none.resumed()).isFalse();
        assertThat(server.fullHandshakes()).isEqualTo(3);
        assertThat(server.clientSubjects()).containsExactly("CN=alice", "CN=alice", "CN=bob", "-");
    }

    /** TLS 1.2 resumes one session many times; a TLS 1.3 ticket serves once, the others handshake fully. */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void manyThreadsHandshakeAtOnceEachUnderItsOwnPolicy(String protocol) throws Exception {
        LoopbackTlsServer server = server(protocol);
        connect(server.address(), TlsPolicy.opportunistic()); // a session to resume
        int threads = 48;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        String good = SERVER.fingerprint("SHA-256");
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                boolean refuse = i % 2 == 1;
                results.add(pool.submit(() -> {
                    TlsClient client = contexts.client(pinned(refuse ? "ab".repeat(32) : good), List.of(),
                            List.of(MX), Optional.empty());
                    start.await(20, TimeUnit.SECONDS);
                    try (Socket plain = new Socket(server.address().getAddress(), server.address().getPort());
                            SSLSocket ssl = client.handshake(plain, MX)) {
                        assertThat(ssl.getInputStream().read()).isEqualTo('+');
                        return client.verifier().outcome();
                    } catch (SSLHandshakeException e) {
                        return client.verifier().failure().failure();
                    }
                }));
            }
            for (int i = 0; i < threads; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).as("connection " + i)
                        .isEqualTo(i % 2 == 1 ? PeerFailure.PIN_MISMATCH : TlsOutcome.PINNED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChangedCaFileIsReadAgainAndJudgesResumedSessions() throws Exception {
        LoopbackTlsServer server = server("TLSv1.3");
        Path file = Path.of(caFile("ca.pem", CA.root()));
        TlsPolicy ca = TlsPolicy.builder().mode(TlsMode.MANDATORY).verification(Verification.CA)
                .caLocation(Optional.of(file.toString())).build();
        assertThat(connect(contexts, server.address(), ca, List.of(), List.of(MX), Optional.empty())
                .verifier().outcome()).isEqualTo(TlsOutcome.CA);

        Path replacement = dir.resolve("ca.new");
        Files.writeString(replacement, dev.qremote.fakemx.tls.Pem.certificate(OTHER_CA.root()));
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);

        TlsClient after = contexts.client(ca, List.of(), List.of(MX), Optional.empty());
        assertThat(refusedAfterResuming(server, after)).isEqualTo(PeerFailure.UNTRUSTED);
        assertThat(after.resumed()).isTrue();
    }

    @Test
    void aCaDirectoryWithAFileAddedIsReadAgain() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        Files.writeString(cas.resolve("other.pem"), dev.qremote.fakemx.tls.Pem.certificate(OTHER_CA.root()));
        TrustStoreCache cache = new TrustStoreCache();
        Optional<String> location = Optional.of(cas + "/");
        javax.net.ssl.X509TrustManager before = cache.forLocation(location);
        assertThat(cache.forLocation(location)).isSameAs(before);

        Files.writeString(cas.resolve("ours.pem"), dev.qremote.fakemx.tls.Pem.certificate(CA.root()));
        javax.net.ssl.X509TrustManager after = cache.forLocation(location);

        assertThat(after).isNotSameAs(before);
        after.checkServerTrusted(SERVER.chain().toArray(new java.security.cert.X509Certificate[0]), "UNKNOWN");
    }

    @Test
    void anUnchangedIdentityIsParsedOnceAndAChangedOneAgain() throws Exception {
        ClientCertificateFiles files = identityFiles("carol");
        ClientIdentity first = contexts.identity(files);
        assertThat(contexts.identity(files)).isSameAs(first);
        ClientIdentity noPassword = contexts.identity(new ClientCertificateFiles(files.home(), files.certificate(),
                files.key(), Optional.empty()));
        assertThat(noPassword).as("another password is another entry").isNotSameAs(first).isEqualTo(first);

        IssuedCertificate dave = CA.leaf("carol");
        Path staged = dir.resolve("staged.pem");
        Files.writeString(staged, dave.chainPem());
        Files.move(staged, dir.resolve("carol.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(staged, dave.keyPem());
        Files.move(staged, dir.resolve("carol.key"), StandardCopyOption.REPLACE_EXISTING);

        ClientIdentity second = contexts.identity(files);
        assertThat(second).isNotSameAs(first);
        assertThat(second.chain().get(0)).isEqualTo(dave.leaf());
    }

    @Test
    void aBrokenIdentityIsNotKept() throws Exception {
        ClientCertificateFiles files = identityFiles("erin");
        Files.writeString(dir.resolve("erin.key"), "not a key\n");
        assertThatThrownBy(() -> contexts.identity(files)).isInstanceOf(ClientIdentityException.class);

        IssuedCertificate fixed = CA.leaf("erin");
        Files.writeString(dir.resolve("erin.crt"), fixed.chainPem());
        Files.writeString(dir.resolve("erin.key"), fixed.keyPem());
        assertThat(contexts.identity(files).chain().get(0)).isEqualTo(fixed.leaf());
    }

    @Test
    void manyThreadsAskingForOneIdentityGetOneInstance() throws Exception {
        ClientCertificateFiles files = identityFiles("frank");
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<ClientIdentity>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await(20, TimeUnit.SECONDS);
                    return contexts.identity(files);
                }));
            }
            ClientIdentity one = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<ClientIdentity> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isSameAs(one);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private ClientCertificateFiles identityFiles(String name) throws IOException {
        IssuedCertificate issued = CA.leaf(name);
        Files.writeString(dir.resolve(name + ".crt"), issued.chainPem());
        Files.writeString(dir.resolve(name + ".key"), issued.keyPem());
        return new ClientCertificateFiles(dir, name + ".crt", Optional.of(name + ".key"), Optional.of("unused"));
    }

    private static IOException handshakeFailure(TlsClient client, InetSocketAddress at) throws IOException {
        try (Socket plain = new Socket(at.getAddress(), at.getPort())) {
            plain.setSoTimeout(20_000);
            client.handshake(plain, MX).close();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("the handshake succeeded");
    }
}
