package dev.qremote.sender.jmh;

import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.message.RecodedMessage;
import dev.qremote.sender.message.RecodingPlan;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The quoted-printable downgrade on a 1 MiB message of 8-bit text, in operations per second (multiply by
 * the size for bytes per second): the planning walk every DATA delivery makes, and the recoding a server
 * without 8BITMIME gets. Run with bin/bench-jmh RecodingBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecodingBenchmark {
    private byte[] message;
    private RecodingPlan plan;

    @Setup
    public void setUp() throws Exception {
        StringBuilder m = new StringBuilder("Subject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n");
        int line = 0;
        while (m.length() < 1 << 20) {
            m.append(line % 10 == 0 ? "." : "").append("Zw\u00f6lf Boxk\u00e4mpfer jagen Viktor quer \u00fcber den Deich ")
                    .append(line++).append('\n');
        }
        message = m.toString().getBytes(StandardCharsets.UTF_8);
        plan = RecodingPlan.of(MessageSource.ofBytes(message), false);
    }

    @Benchmark
    public int planOneMebibyte() throws Exception {
        return RecodingPlan.of(MessageSource.ofBytes(message), false).parts();
    }

    @Benchmark
    public long recodeOneMebibyte() throws Exception {
        return new RecodedMessage(new ByteArrayInputStream(message), plan).transferTo(OutputStream.nullOutputStream());
    }
}
