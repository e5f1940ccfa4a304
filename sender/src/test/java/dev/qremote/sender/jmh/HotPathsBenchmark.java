package dev.qremote.sender.jmh;

import dev.qremote.sender.message.DotStuffer;
import dev.qremote.sender.report.RemoteText;
import dev.qremote.sender.transport.smtp.ReplyParsing;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The byte paths every delivery runs through, in operations per second on a 1 MiB message (multiply by the
 * size for bytes per second): CRLF conversion with dot-stuffing, reply parsing, report rendering.
 * Run with bin/bench-jmh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathsBenchmark {
    @Param({"LF", "CRLF"})
    public String lineEnds;

    private byte[] message;
    private byte[] ehloReply;
    private List<String> rejection;

    @Setup
    public void setUp() {
        String eol = lineEnds.equals("LF") ? "\n" : "\r\n";
        StringBuilder m = new StringBuilder();
        int line = 0;
        while (m.length() < 1 << 20) {
            m.append(line % 10 == 0 ? "." : "").append("line ").append(line++)
                    .append(" the quick brown fox jumps over the lazy dog 0123456789").append(eol);
        }
        message = m.toString().getBytes(StandardCharsets.US_ASCII);
        ehloReply = ("250-mx.example.test Hello\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n"
                + "250-CHUNKING\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        rejection = List.of("550-5.1.1 The email account that you tried to reach does not exist. Please try",
                "550-5.1.1 double-checking the recipient's email address for typos or",
                "550 5.1.1 unnecessary spaces. \u0000 https://support.example/mail/?p=NoSuchUser");
    }

    @Benchmark
    public long dotStuffOneMebibyte() throws Exception {
        return DotStuffer.copy(new ByteArrayInputStream(message), OutputStream.nullOutputStream());
    }

    @Benchmark
    public void parseEhloReply(Blackhole hole) throws Exception {
        hole.consume(ReplyParsing.parse(ehloReply));
    }

    @Benchmark
    public String renderRemoteText() {
        return RemoteText.said(rejection);
    }
}
