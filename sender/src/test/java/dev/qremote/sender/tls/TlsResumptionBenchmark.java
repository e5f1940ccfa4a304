package dev.qremote.sender.tls;

import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One client TLS connection to a loopback server (handshake, one byte read, close), with the contexts
 * shared across connections (sessions resume) or made afresh for each (as before issue 13), in
 * microseconds per connection, client and server together. Run with bin/bench-jmh TlsResumptionBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TlsResumptionBenchmark {
    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    @Param({"shared", "fresh"})
    public String contexts;

    private LoopbackTlsServer server;
    private TlsContexts shared;
    private final TlsPolicy policy = TlsPolicy.opportunistic();

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new LoopbackTlsServer(TestCertificates.create(KeyKind.ECDSA).leaf("mx.bench.test"), protocol);
        shared = new TlsContexts(Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        server.close();
    }

    @Benchmark
    public int connect() throws Exception {
        TlsContexts use = contexts.equals("shared") ? shared : new TlsContexts(Clock.systemUTC());
        TlsClient client = use.client(policy, List.of(), List.of("mx.bench.test"), Optional.empty());
        InetSocketAddress at = server.address();
        try (Socket plain = new Socket(at.getAddress(), at.getPort());
                SSLSocket ssl = client.handshake(plain, "mx.bench.test")) {
            return ssl.getInputStream().read();
        }
    }
}
