package dev.qremote.bench;

import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Per-delivery cost, measured as qmail-rspawn pays it: every delivery is its own process, started with the
 * message file as stdin, against a local SMTP sink. For each message size, sequentially and N at once, it
 * prints the median and spread of wall time, CPU time per delivery and peak RSS (from GNU time), and
 * deliveries per second; given a peer command, it measures that one in the same run and prints the ratios.
 *
 * <p>The commands get QMAILHOME (a qmail home whose smtproutes sends everything to the sink),
 * QREMOTE_SMTP_PORT, and QREMOTE_BENCH_SMTP=127.0.0.1:PORT for adapters of other clients.
 */
public final class DeliveryBenchmark {
    private static final Path TIME = Path.of("/usr/bin/time");

    private record Sample(double wallMs, double cpuMs, long rssKb, boolean delivered) {
    }

    private record Result(String command, String size, String mode, List<Sample> samples, double elapsedSeconds) {
        double median(java.util.function.ToDoubleFunction<Sample> f) {
            return percentile(f, 50);
        }

        double percentile(java.util.function.ToDoubleFunction<Sample> f, int p) {
            List<Double> values = new ArrayList<>();
            samples.forEach(s -> values.add(f.applyAsDouble(s)));
            Collections.sort(values);
            int i = (int) Math.round((values.size() - 1) * p / 100.0);
            return values.get(i);
        }

        /** The mean: GNU time counts CPU in 10 ms steps, so one sample says little, their sum more. */
        double meanCpuMs() {
            return samples.stream().mapToDouble(Sample::cpuMs).average().orElse(0);
        }

        long maxRssKb() {
            return samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
        }

        long failures() {
            return samples.stream().filter(s -> !s.delivered()).count();
        }

        double perSecond() {
            return samples.size() / elapsedSeconds;
        }
    }

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = 30;
        int concurrency = 20;
        List<String> sizes = List.of("1k", "100k", "10m");
        List<Path> commands = new ArrayList<>();
        commands.add(SenderCommand.configured(Path.of("")).path());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = List.of(args[++i].split(","));
                case "--peer" -> commands.add(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: bench [--count N] [--concurrency N] [--sizes 1k,100k,10m] [--peer COMMAND]...");
            }
        }
        if (!Files.isExecutable(TIME)) {
            throw new IllegalStateException("the benchmark needs GNU time at /usr/bin/time (Debian package time)");
        }
        Path work = Files.createTempDirectory("qremote-bench");
        try (SmtpServer sink = SmtpServer.start(InetAddress.getLoopbackAddress(), 0,
                SmtpScript.builder().sink().extensions("PIPELINING", "8BITMIME").build())) {
            Path home = work.resolve("qmail");
            Files.createDirectories(home.resolve("control"));
            Files.writeString(home.resolve("control/me"), "bench.test\n");
            Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + sink.address().getPort() + "\n");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QMAILHOME", home.toString());
            env.put("QREMOTE_SMTP_PORT", Integer.toString(sink.address().getPort()));
            env.put("QREMOTE_BENCH_SMTP", "127.0.0.1:" + sink.address().getPort());

            System.out.printf(Locale.ROOT, "machine: %d cores, %s; %s %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "%d deliveries per size and mode; each one a process, message file on stdin%n%n",
                    count);
            System.out.printf(Locale.ROOT, "%-6s %-8s %-24s %10s %17s %9s %8s %8s %5s%n", "size", "mode", "command",
                    "wall ms", "p10..p90", "mean cpu", "rss MB", "deliv/s", "fail");
            List<Result> results = new ArrayList<>();
            for (String size : sizes) {
                Path message = work.resolve("message-" + size);
                Files.write(message, message(bytes(size)));
                for (int parallel : new int[] {1, concurrency}) {
                    for (Path command : commands) {
                        run(command, message, env, work, Math.min(3, count), parallel); // warm the page cache
                        Result r = run(command, message, env, work, count, parallel);
                        results.add(new Result(command.getFileName().toString(), size,
                                parallel == 1 ? "seq" : parallel + "x", r.samples(), r.elapsedSeconds()));
                        print(results.get(results.size() - 1));
                    }
                }
            }
            if (commands.size() > 1) {
                System.out.printf(Locale.ROOT, "%nratios, %s / peer (below 1: ours is cheaper)%n", results.get(0).command());
                for (int i = 0; i + 1 < results.size(); i += commands.size()) {
                    Result ours = results.get(i);
                    for (int k = 1; k < commands.size(); k++) {
                        Result peer = results.get(i + k);
                        String cpu = peer.meanCpuMs() < 1 ? "n/a (peer under 1 ms)"
                                : String.format(Locale.ROOT, "%.2f", ours.meanCpuMs() / peer.meanCpuMs());
                        System.out.printf(Locale.ROOT, "%-6s %-8s vs %-20s wall %.2f  cpu %s  rss %.2f  deliv/s %.2f%n",
                                ours.size(), ours.mode(), peer.command(),
                                ours.median(Sample::wallMs) / peer.median(Sample::wallMs), cpu,
                                (double) ours.maxRssKb() / peer.maxRssKb(), ours.perSecond() / peer.perSecond());
                    }
                }
            }
        }
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-6s %-8s %-24s %10.1f %8.1f..%-8.1f %9.1f %8.1f %8.1f %5d%n", r.size(), r.mode(),
                r.command(), r.median(Sample::wallMs), r.percentile(Sample::wallMs, 10), r.percentile(Sample::wallMs, 90),
                r.meanCpuMs(), r.maxRssKb() / 1024.0, r.perSecond(), r.failures());
    }

    private static Result run(Path command, Path message, Map<String, String> env, Path work, int count, int parallel)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Sample>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> once(command, message, env, work)));
        }
        List<Sample> samples = new ArrayList<>();
        for (Future<Sample> f : futures) {
            samples.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return new Result(command.toString(), "", "", samples, elapsed);
    }

    private static Sample once(Path command, Path message, Map<String, String> env, Path work)
            throws IOException, InterruptedException {
        Path stats = Files.createTempFile(work, "time", ".txt");
        Path out = Files.createTempFile(work, "out", ".bin");
        ProcessBuilder builder = new ProcessBuilder(TIME.toString(), "-f", "%e %U %S %M", "-o", stats.toString(),
                command.toString(), "example.test", "alice@bench.test", "bob@example.test")
                .redirectInput(message.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process p = builder.start();
        p.waitFor();
        double wall = (System.nanoTime() - start) / 1e6;
        String[] f = Files.readString(stats).trim().split("\\s+");
        boolean delivered = ReportText.latin1(Files.readAllBytes(out)).contains("\0K");
        Files.delete(stats);
        Files.delete(out);
        return new Sample(wall, (Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1000, Long.parseLong(f[3]),
                delivered);
    }

    private static int bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        int unit = s.endsWith("k") ? 1024 : s.endsWith("m") ? 1024 * 1024 : 1;
        return Integer.parseInt(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    /** A realistic message of about {@code size} bytes: headers, then body lines, some starting with '.'. */
    static byte[] message(int size) {
        StringBuilder m = new StringBuilder();
        m.append("Return-Path: <alice@bench.test>\nReceived: from client.bench.test (192.0.2.7)\n")
                .append("  by mail.bench.test with ESMTPS; Sat, 21 Nov 2026 23:52:00 +0000\n")
                .append("From: Alice <alice@bench.test>\nTo: Bob <bob@example.test>\n")
                .append("Subject: benchmark message\nDate: Sat, 21 Nov 2026 23:52:00 +0000\n")
                .append("Message-ID: <bench.1@bench.test>\nMIME-Version: 1.0\n")
                .append("Content-Type: text/plain; charset=us-ascii\n\n");
        int line = 0;
        while (m.length() < size) {
            m.append(line % 10 == 0 ? ".dotted line " : "line ").append(line++)
                    .append(" the quick brown fox jumps over the lazy dog 0123456789\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
