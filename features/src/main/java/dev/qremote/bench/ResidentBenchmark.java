package dev.qremote.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench --resident}: the resident {@code bin/qmail-rspawn} driven as qmail-send drives it (the slot
 * byte, requests for N slots at once, every answer read), once with a new SMTP connection for every delivery
 * and once with session reuse, side by side in one run with per-process {@code bin/qmail-remote} (one process
 * per delivery, the queue file as stdin, as C qmail-rspawn starts it), per-process msmtp behind the same
 * interface ({@code bench/peers/msmtp-qmail-remote}) and, when a notqmail build is named, C qmail-rspawn with
 * C qmail-remote. Every line runs against each chosen sink: the project's fake-mx in this JVM, Postfix's
 * smtp-sink as a child process. For each sink, size and concurrency it prints deliveries per second (wall
 * clock of the measured deliveries), CPU per delivery, peak RSS, and the K/Z/D count, checked against the
 * sink's count of messages it answered 250 after the final dot; a "sink alone" line (a trivial client in this
 * JVM, no qmail) shows what the sink takes in at all. A path or sink that is not there prints its lines as
 * {@code skipped: <why>}.
 *
 * <p>CPU: resident paths, utime+stime+cutime+cstime of the spawn process from /proc/PID/stat before and after
 * (C qmail-remote children are waited for by C qmail-rspawn, so they are in its cutime); per-process paths,
 * cutime+cstime of this JVM (every child is waited for). Peak RSS: VmHWM of the spawn process (for C, of
 * qmail-rspawn alone, not its children); per process, the largest child (GNU time's %M), else n/a.
 */
public final class ResidentBenchmark {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final String SENDER = "alice@bench.test";
    private static final String RECIPIENT = "bob@example.test";
    private static final double TICK_MS = 10; // USER_HZ is 100 on Linux
    private static final String USAGE = "usage: bench --resident [--sizes 1k,100k,10m] [--concurrency 1,20,100]"
            + " [--count N] [--process-count N] [--msmtp-count N] [--sink fake-mx,smtp-sink] [--smtp-sink PATH]"
            + " [--reuse new,reuse] [--sink-alone 10m|none] [--no-per-process] [--no-msmtp] [--notqmail BUILD_DIR]";

    /** What to run; every field has the default {@code bin/bench --resident} uses. */
    static final class Options {
        List<String> sizes = List.of("1k", "100k", "10m");
        List<Integer> concurrencies = List.of(1, 20, 100);
        Integer count; // resident deliveries per line; null: by size
        Integer processCount; // per-process bin/qmail-remote deliveries per line; null: by size
        Integer msmtpCount; // per-process msmtp deliveries per line; null: by size
        List<String> sinks = List.of("fake-mx", "smtp-sink");
        Path smtpSink = PostfixSmtpSink.DEFAULT_BINARY;
        List<String> reuse = List.of("new", "reuse"); // the resident Java path: new connection each, reuse
        List<String> sinkAlone = List.of("10m"); // sizes that get a sink-alone line
        boolean perProcess = true;
        boolean msmtp = true;
        Path msmtpAdapter; // null: bench/peers/msmtp-qmail-remote of the project
        String notqmail = System.getenv("QREMOTE_BENCH_NOTQMAIL");

        /** Resident deliveries per line; one at a time, a fifth (C qmail-remote then waits 40 ms a message). */
        int count(String size, int atOnce) {
            if (count != null) {
                return count;
            }
            int n = switch (size) {
                case "1k" -> 3000;
                case "100k" -> 1000;
                default -> 40;
            };
            return atOnce == 1 ? Math.max(1, n / 5) : n;
        }

        int processCount(String size) {
            return processCount != null ? processCount : size.equals("10m") ? 10 : 30;
        }

        /** msmtp starts in a few ms, so more than a JVM per delivery, but it waits ~40 ms a message alone too. */
        int msmtpCount(String size) {
            return msmtpCount != null ? msmtpCount : size.equals("10m") ? 20 : 120;
        }
    }

    /**
     * One line of the table; {@code asked} is the concurrency asked for, {@code atOnce} the deliveries really in
     * flight (the count caps it); {@code cpuMs} and {@code rssKb} below 0 are n/a.
     */
    record Line(String sink, String size, int asked, int atOnce, String path, int deliveries, double seconds,
            double cpuMs, long rssKb, int k, int z, int d, long sinkAccepted, String firstFailure) {
        boolean consistent() {
            return k + z + d == deliveries && sinkAccepted == k;
        }

        boolean skipped() {
            return deliveries == 0;
        }

        double perSecond() {
            return deliveries == 0 ? 0 : deliveries / seconds;
        }

        static Line skipped(String sink, String size, int atOnce, String path, String why) {
            return new Line(sink, size, atOnce, atOnce, path, 0, 0, -1, -1, 0, 0, 0, 0, "skipped: " + why);
        }
    }

    /** The resident Java path's two ways: its control files for session reuse (the {@code reuse} branch's). */
    private enum Reuse {
        NEW("new", "Java resident, new connection each", "0", null),
        REUSE("reuse", "Java resident, reuse", "5", "100");

        final String option;
        final String path;
        final String idle;
        final String max;

        Reuse(String option, String path, String idle, String max) {
            this.option = option;
            this.path = path;
            this.idle = idle;
            this.max = max;
        }

        static Reuse of(String option) {
            for (Reuse r : values()) {
                if (r.option.equals(option)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("--reuse takes new and reuse, not " + option + "; " + USAGE);
        }

        /** reuseidle seconds (0: off) and reusemax deliveries per session; no reusemax: the default. */
        void writeControl(Path home) throws IOException {
            Files.writeString(home.resolve("control/reuseidle"), idle + "\n");
            if (max == null) {
                Files.deleteIfExists(home.resolve("control/reusemax"));
            } else {
                Files.writeString(home.resolve("control/reusemax"), max + "\n");
            }
        }
    }

    private ResidentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--resident" -> { }
                case "--sizes" -> o.sizes = List.of(args[++i].split(","));
                case "--concurrency" -> o.concurrencies = List.of(args[++i].split(",")).stream()
                        .map(Integer::valueOf).toList();
                case "--count" -> o.count = Integer.valueOf(args[++i]);
                case "--process-count" -> o.processCount = Integer.valueOf(args[++i]);
                case "--msmtp-count" -> o.msmtpCount = Integer.valueOf(args[++i]);
                case "--sink" -> o.sinks = List.of(args[++i].split(","));
                case "--smtp-sink" -> o.smtpSink = Path.of(args[++i]);
                case "--reuse" -> o.reuse = List.of(args[++i].split(","));
                case "--sink-alone" -> o.sinkAlone = args[++i].equals("none") ? List.of()
                        : List.of(args[i].split(","));
                case "--no-per-process" -> o.perProcess = false;
                case "--no-msmtp" -> o.msmtp = false;
                case "--notqmail" -> o.notqmail = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            }
        }
        List<Line> lines = run(o, Path.of(""), System.out);
        System.exit(lines.stream().allMatch(l -> l.consistent()) ? 0 : 1);
    }

    /** Runs every line, printing each as it is done; {@code from} is a directory at or below the project. */
    static List<Line> run(Options o, Path from, PrintStream out) throws Exception {
        for (String sink : o.sinks) {
            if (!List.of("fake-mx", "smtp-sink").contains(sink)) {
                throw new IllegalArgumentException("--sink takes fake-mx and smtp-sink, not " + sink + "; " + USAGE);
            }
        }
        List<Reuse> reuses = o.reuse.stream().map(Reuse::of).toList();
        Path root = projectRoot(from);
        Path work = Files.createTempDirectory("qremote-rbench");
        String user = Files.getOwner(work).getName();
        List<Line> lines = new ArrayList<>();
        try {
            Path home = work.resolve("qmail");
            prepareHome(home, 0);
            Map<String, String> ids = new LinkedHashMap<>();
            for (String size : o.sizes) {
                String id = "0/" + (1000 + ids.size());
                Files.write(home.resolve("queue/mess").resolve(id), DeliveryBenchmark.message(bytes(size)));
                ids.put(size, id);
            }
            CBuild c = CBuild.find(o.notqmail, user);
            if (c.skipped() == null) {
                prepareHome(c.home(), 0);
                for (Map.Entry<String, String> e : ids.entrySet()) {
                    Files.copy(home.resolve("queue/mess").resolve(e.getValue()),
                            c.home().resolve("queue/mess").resolve(e.getValue()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path msmtpAdapter = o.msmtpAdapter != null ? o.msmtpAdapter
                    : root.resolve("bench/peers/msmtp-qmail-remote");
            String msmtpMissing = msmtpMissing(msmtpAdapter);
            boolean time = Files.isExecutable(TIME);
            out.printf(Locale.ROOT, "machine: %d cores, %s %s; %s %s; queue user %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), user);
            out.println("load average at the start: " + Files.readString(Path.of("/proc/loadavg")).strip());
            if (!o.perProcess) {
                out.println("per-process bin/qmail-remote: not run (--no-per-process)");
            } else if (!time) {
                out.println("per-process paths: peak RSS n/a (no GNU time at /usr/bin/time)");
            }
            if (!o.msmtp) {
                out.println("per-process msmtp: not run (--no-msmtp)");
            }
            Map<String, String> residentEnv = new LinkedHashMap<>();
            residentEnv.put("QMAILHOME", home.toString());
            residentEnv.put("QREMOTE_QMAILQ", user);
            int maxAtOnce = o.concurrencies.stream().max(Integer::compare).orElse(1);
            residentEnv.put("QREMOTE_SPAWN_SLOTS", Integer.toString(Math.min(255, Math.max(120, maxAtOnce))));
            String javaOptions = System.getenv("QREMOTE_SPAWN_JAVA_OPTIONS");
            if (javaOptions != null) {
                residentEnv.put("QREMOTE_SPAWN_JAVA_OPTIONS", javaOptions); // a profiler, a heap limit to try
            }
            for (String sinkName : o.sinks) {
                BenchSink sink;
                String sinkMissing = null;
                try {
                    sink = openSink(sinkName, o, work, user);
                } catch (IOException e) {
                    sink = null;
                    sinkMissing = e.getMessage();
                }
                out.printf(Locale.ROOT, "%nsink %s: %s%n", sinkName, sink == null ? "skipped: " + sinkMissing
                        : sinkName.equals("fake-mx") ? "in this JVM, 127.0.0.1:" + sink.port()
                        : o.smtpSink + " as a child process, 127.0.0.1:" + sink.port());
                out.printf(Locale.ROOT, "%-9s %-5s %7s %-36s %6s %9s %10s %8s %6s %4s %4s %6s  %s%n", "sink", "size",
                        "at once", "path", "deliv", "deliv/s", "cpu ms/dl", "rss MB", "K", "Z", "D", "taken", "check");
                try {
                    if (sink != null) {
                        prepareHome(home, sink.port());
                        if (c.skipped() == null) {
                            prepareHome(c.home(), sink.port());
                        }
                    }
                    for (String size : o.sizes) {
                        String id = ids.get(size);
                        Path message = home.resolve("queue/mess").resolve(id);
                        for (int atOnce : o.concurrencies) {
                            int n = o.count(size, atOnce);
                            if (sink == null) {
                                lines.add(print(out, Line.skipped(sinkName, size, atOnce, "(every path)",
                                        sinkMissing)));
                                continue;
                            }
                            if (o.sinkAlone.contains(size)) {
                                lines.add(print(out, sinkAlone(sink, size, atOnce, n, message)));
                            }
                            for (Reuse r : reuses) {
                                r.writeControl(home);
                                lines.add(print(out, resident(sink, r.path, size, atOnce, n, id,
                                        List.of(root.resolve("bin/qmail-rspawn").toString()), residentEnv, work)));
                            }
                            String cPath = "C qmail-rspawn + C qmail-remote";
                            if (c.skipped() != null) {
                                lines.add(print(out, Line.skipped(sink.name(), size, atOnce, cPath, c.skipped())));
                            } else {
                                Map<String, String> cEnv = Map.of("QMAILREMOTE",
                                        c.dir().resolve("qmail-remote").toString());
                                lines.add(print(out, resident(sink, cPath, size, atOnce, n, id,
                                        List.of(c.dir().resolve("qmail-rspawn").toString()), cEnv, work)));
                            }
                            Map<String, String> env = Map.of("QMAILHOME", home.toString(), "QREMOTE_SMTP_PORT",
                                    Integer.toString(sink.port()), "QREMOTE_BENCH_SMTP", "127.0.0.1:" + sink.port());
                            if (o.perProcess) {
                                lines.add(print(out, perProcess(sink, "bin/qmail-remote (per process)", size, atOnce,
                                        o.processCount(size), message, root.resolve("bin/qmail-remote"), env, time,
                                        work)));
                            }
                            if (o.msmtp) {
                                lines.add(print(out, msmtpMissing != null
                                        ? Line.skipped(sink.name(), size, atOnce, "msmtp (per process)", msmtpMissing)
                                        : perProcess(sink, "msmtp (per process)", size, atOnce, o.msmtpCount(size),
                                                message, msmtpAdapter, env, time, work)));
                            }
                        }
                    }
                } finally {
                    if (sink != null) {
                        sink.close();
                    }
                }
            }
            printSinkShares(out, lines);
            out.println();
            out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).strip());
            long skipped = lines.stream().filter(Line::skipped).count();
            out.println(lines.stream().allMatch(Line::consistent)
                    ? "every line checked: each answer a K, Z or D, and the sink accepted exactly the K count"
                            + (skipped > 0 ? " (" + skipped + " lines skipped, each says why)" : "")
                    : "CHECK FAILED on the lines marked MISMATCH");
        } finally {
            deleteTree(work);
        }
        return lines;
    }

    private static BenchSink openSink(String name, Options o, Path work, String user)
            throws IOException, InterruptedException {
        if (name.equals("fake-mx")) {
            return FakeMxSink.start();
        }
        if (!Files.isExecutable(o.smtpSink)) {
            throw new IOException(o.smtpSink + " not installed (Debian package postfix; only smtp-sink is run)");
        }
        return PostfixSmtpSink.start(o.smtpSink, work, user.equals("root"));
    }

    /** Why the msmtp line cannot run, or null when it can. */
    private static String msmtpMissing(Path adapter) {
        if (!Files.isExecutable(adapter)) {
            return adapter + " missing";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "msmtp"))) {
                return null;
            }
        }
        return "msmtp not found on PATH (Debian package msmtp)";
    }

    /** Each resident line as a share of the sink-alone line of the same sink, size and concurrency. */
    private static void printSinkShares(PrintStream out, List<Line> lines) {
        boolean header = false;
        for (Line alone : lines) {
            if (!alone.path().startsWith("sink alone") || alone.skipped()) {
                continue;
            }
            if (!header) {
                out.printf(Locale.ROOT, "%ndeliveries per second as a share of the sink alone (same sink, size"
                        + " and concurrency asked; the count may cap what is in flight):%n");
                header = true;
            }
            StringBuilder shares = new StringBuilder();
            for (Line l : lines) {
                if (l != alone && !l.skipped() && l.sink().equals(alone.sink()) && l.size().equals(alone.size())
                        && l.asked() == alone.asked()) {
                    shares.append(String.format(Locale.ROOT, "; %s %.0f%%", l.path(),
                            100 * l.perSecond() / alone.perSecond()));
                }
            }
            out.printf(Locale.ROOT, "%s %s at %d: sink alone %.1f/s%s%n", alone.sink(), alone.size(), alone.asked(),
                    alone.perSecond(), shares);
        }
    }

    /** A notqmail build with qmail-rspawn and qmail-remote, its compiled-in home; {@code skipped}: why not. */
    private record CBuild(Path dir, Path home, String skipped) {
        static CBuild find(String named, String user) throws IOException {
            if (named == null || named.isBlank()) {
                return new CBuild(null, null, "no notqmail build named by QREMOTE_BENCH_NOTQMAIL or --notqmail");
            }
            Path dir = Path.of(named).toAbsolutePath();
            for (String f : List.of("qmail-rspawn", "qmail-remote", "conf-qmail", "conf-users")) {
                if (!Files.exists(dir.resolve(f))) {
                    return new CBuild(null, null, dir.resolve(f) + " missing");
                }
            }
            Path home = Path.of(Files.readAllLines(dir.resolve("conf-qmail")).get(0).trim());
            List<String> users = Files.readAllLines(dir.resolve("conf-users"));
            String queueUser = users.size() > 5 ? users.get(5).trim() : "";
            if (!queueUser.equals(user)) {
                return new CBuild(null, null, "built for queue user '" + queueUser
                        + "', the bench's files are owned by '" + user + "'");
            }
            // the compiled-in home gets our control files: never a real qmail's
            if (Files.exists(home) && !Files.exists(home.resolve(".qremote-bench"))) {
                return new CBuild(null, null, "its home " + home
                        + " exists and is not a bench home: no .qremote-bench in it");
            }
            Files.createDirectories(home);
            Files.writeString(home.resolve(".qremote-bench"), "made by bin/bench --resident\n");
            return new CBuild(dir, home, null);
        }
    }

    /** The trivial client of {@link SinkAloneClient}: a quarter of the count to warm up, then the count. */
    private static Line sinkAlone(BenchSink sink, String size, int atOnce, int count, Path message)
            throws IOException, InterruptedException {
        byte[] wire = SinkAloneClient.wire(Files.readAllBytes(message));
        int parallel = Math.min(atOnce, count);
        SinkAloneClient.send(sink.port(), wire, Math.max(1, (count + 3) / 4), parallel, SENDER, RECIPIENT);
        long sinkBefore = sink.accepted();
        long start = System.nanoTime();
        SinkAloneClient.Result r = SinkAloneClient.send(sink.port(), wire, count, parallel, SENDER, RECIPIENT);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Line(sink.name(), size, atOnce, parallel, "sink alone (in-bench client)", count, seconds, -1, -1,
                r.k(), r.z(), 0, sink.accepted() - sinkBefore, r.firstFailure());
    }

    private static void prepareHome(Path home, int port) throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.createDirectories(home.resolve("queue/mess/0"));
        Files.createDirectories(home.resolve("queue/lock"));
        Files.write(home.resolve("queue/lock/tcpto"), new byte[0]);
        Files.writeString(home.resolve("control/me"), "bench.test\n");
        Files.writeString(home.resolve("control/dnssec"), "off\n");
        Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + port + "\n");
    }

    /** A spawn process driven as qmail-send drives it: a quarter of the count to warm up, then the count. */
    private static Line resident(BenchSink sink, String name, String size, int atOnce, int count, String id,
            List<String> command, Map<String, String> env, Path work) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve("spawn.stderr").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            InputStream answers = new BufferedInputStream(p.getInputStream());
            OutputStream requests = p.getOutputStream();
            int limit = answers.read();
            if (limit < 0) {
                throw new IOException(command.get(0) + " wrote no slot limit (see " + work.resolve("spawn.stderr") + ")");
            }
            if (limit < atOnce) {
                return Line.skipped(sink.name(), size, atOnce, name + " (slot limit " + limit + ")",
                        "fewer slots than asked at once");
            }
            int parallel = Math.min(atOnce, count);
            drive(answers, requests, id, parallel, Math.max(1, (count + 3) / 4), null);
            long sinkBefore = sink.accepted();
            long cpuBefore = cpuTicks(p.pid(), true);
            long start = System.nanoTime();
            int[] kzd = new int[3];
            String[] failure = {""};
            drive(answers, requests, id, parallel, count, (letter, text) -> {
                kzd["KZD".indexOf(letter)]++;
                if (letter != 'K' && failure[0].isEmpty()) {
                    failure[0] = text;
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = cpuTicks(p.pid(), true) - cpuBefore;
            long rss = peakRssKb(p.pid());
            long sinkDelta = sink.accepted() - sinkBefore;
            requests.close();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                failure[0] += " (did not exit after its input closed)";
            } else if (p.exitValue() != 0) {
                failure[0] += " (exit " + p.exitValue() + ")";
            }
            return new Line(sink.name(), size, atOnce, parallel, name, count, seconds, cpu * TICK_MS / count, rss,
                    kzd[0], kzd[1], kzd[2], sinkDelta, failure[0]);
        } finally {
            p.destroyForcibly();
        }
    }

    private interface AnswerSink {
        void answer(char letter, String text);
    }

    /** Keeps {@code parallel} slots busy until {@code count} answers are read; checks every slot byte. */
    private static void drive(InputStream answers, OutputStream requests, String id, int parallel, int count,
            AnswerSink seen) throws IOException {
        Deque<Integer> free = new ArrayDeque<>();
        boolean[] busy = new boolean[256];
        int sent = 0;
        for (int slot = 0; slot < parallel && sent < count; slot++, sent++) {
            request(requests, slot, id);
            busy[slot] = true;
        }
        requests.flush();
        for (int done = 0; done < count; done++) {
            int slot = answers.read();
            if (slot < 0) {
                throw new IOException("the spawn process closed its output after " + done + " answers");
            }
            if (!busy[slot]) {
                throw new IOException("an answer for slot " + slot + ", which had no delivery");
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int b; (b = answers.read()) != 0;) {
                if (b < 0) {
                    throw new IOException("an answer for slot " + slot + " cut short");
                }
                text.write(b);
            }
            busy[slot] = false;
            String answer = text.toString(StandardCharsets.ISO_8859_1);
            char letter = answer.isEmpty() ? '?' : answer.charAt(0);
            if ("KZD".indexOf(letter) < 0) {
                throw new IOException("an answer that is not K, Z or D: " + ReportText.visible(text.toByteArray()));
            }
            if (seen != null) {
                seen.answer(letter, answer);
            }
            if (sent < count) {
                request(requests, slot, id);
                busy[slot] = true;
                sent++;
                requests.flush();
            }
        }
    }

    private static void request(OutputStream requests, int slot, String id) throws IOException {
        requests.write(slot);
        for (String field : List.of(id, SENDER, RECIPIENT)) {
            requests.write(field.getBytes(StandardCharsets.US_ASCII));
            requests.write(0);
        }
    }

    /** One process of a qmail-remote-compatible command per delivery, N at a time, the queue file as stdin. */
    private static Line perProcess(BenchSink sink, String name, String size, int atOnce, int count, Path message,
            Path command, Map<String, String> env, boolean time, Path work) throws Exception {
        int parallel = Math.min(atOnce, count);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (Future<Object[]> f : submit(pool, 2, message, command, env, time, work)) {
                f.get(); // warm the page cache and the start-up archive
            }
            long sinkBefore = sink.accepted();
            long cpuBefore = cpuTicks(ProcessHandle.current().pid(), false);
            long start = System.nanoTime();
            int[] kzd = new int[3];
            String failure = "";
            long rss = time ? 0 : -1;
            for (Future<Object[]> f : submit(pool, count, message, command, env, time, work)) {
                Object[] r = f.get();
                char letter = (char) r[0];
                kzd["KZD".indexOf(letter)]++;
                if (letter != 'K' && failure.isEmpty()) {
                    failure = (String) r[1];
                }
                rss = time ? Math.max(rss, (long) r[2]) : -1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = cpuTicks(ProcessHandle.current().pid(), false) - cpuBefore;
            return new Line(sink.name(), size, atOnce, parallel, name, count, seconds, cpu * TICK_MS / count, rss,
                    kzd[0], kzd[1], kzd[2], sink.accepted() - sinkBefore, failure);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static List<Future<Object[]>> submit(ExecutorService pool, int count, Path message, Path command,
            Map<String, String> env, boolean time, Path work) {
        List<Future<Object[]>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> once(message, command, env, time, work)));
        }
        return futures;
    }

    /** {letter, first report text, peak RSS in KiB}: the letter as C qmail-rspawn's report() decides it. */
    private static Object[] once(Path message, Path command, Map<String, String> env, boolean time, Path work)
            throws IOException, InterruptedException {
        Path stats = Files.createTempFile(work, "time", ".txt");
        List<String> argv = new ArrayList<>();
        if (time) {
            argv.addAll(List.of(TIME.toString(), "-f", "%M", "-o", stats.toString()));
        }
        argv.addAll(List.of(command.toString(), RECIPIENT.substring(RECIPIENT.indexOf('@') + 1), SENDER, RECIPIENT));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(message.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] output = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        long rss = 0;
        if (time) {
            String[] f = Files.readString(stats).trim().split("\\s+");
            rss = Long.parseLong(f[f.length - 1]);
        }
        Files.delete(stats);
        String text = ReportText.latin1(output);
        char letter = exit == 111 || (exit == 0 && output.length == 0) ? 'Z' : exit != 0 ? 'D' : letter(output);
        return new Object[] {letter, text, rss};
    }

    /**
     * C qmail-rspawn's letter for qmail-remote's NUL-separated reports: the first report starting with K or Z
     * decides, none means D; a first report of 's' makes it Z and of 'h' makes it D.
     */
    static char letter(byte[] s) {
        char result = 'D';
        for (int j = 0, k = 0; k < s.length; k++) {
            if (s[k] == 0) {
                if (s[j] == 'K' || s[j] == 'Z' || s[j] == 'D') {
                    result = (char) s[j];
                    break;
                }
                j = k + 1;
            }
        }
        return s.length > 0 && s[0] == 's' ? 'Z' : s.length > 0 && s[0] == 'h' ? 'D' : result;
    }

    /** utime+stime (and, with {@code own}, also) cutime+cstime of a process, in clock ticks. */
    private static long cpuTicks(long pid, boolean own) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, so utime (14) .. cstime (17) are at 11..14 here
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return own ? Long.parseLong(f[11]) + Long.parseLong(f[12]) + children : children;
    }

    private static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Line print(PrintStream out, Line l) {
        String check = l.skipped() ? l.firstFailure() : l.consistent() ? "ok" : "MISMATCH";
        out.printf(Locale.ROOT, "%-9s %-5s %7d %-36s %6d %9.1f %10s %8s %6d %4d %4d %6d  %s%s%n", l.sink(), l.size(),
                l.atOnce(), l.path(), l.deliveries(), l.perSecond(),
                l.cpuMs() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l.cpuMs()),
                l.rssKb() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", l.rssKb() / 1024.0), l.k(), l.z(), l.d(),
                l.sinkAccepted(), check, l.firstFailure().isEmpty() || l.skipped() ? ""
                        : " first failure: " + ReportText.visible(l.firstFailure()
                                .getBytes(StandardCharsets.ISO_8859_1)).strip());
        return l;
    }

    private static Path projectRoot(Path from) {
        for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/qmail-rspawn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bin/qmail-rspawn not found above " + from.toAbsolutePath());
    }

    private static int bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        int unit = s.endsWith("k") ? 1024 : s.endsWith("m") ? 1024 * 1024 : 1;
        return Integer.parseInt(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
