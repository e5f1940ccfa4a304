package dev.qremote.bench;

import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
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
 * byte, requests for N slots at once, every answer read), side by side in one run with per-process
 * {@code bin/qmail-remote} (one process per delivery, the queue file as stdin, as C qmail-rspawn starts it) and,
 * when a notqmail build is named, C qmail-rspawn with C qmail-remote. All deliver to one in-process fake-mx
 * sink on loopback. For each size and concurrency it prints deliveries per second (wall clock of the measured
 * deliveries), CPU per delivery, peak RSS, and the K/Z/D count, checked against the sink's count of messages
 * it answered 250 after the final dot.
 *
 * <p>CPU: resident paths, utime+stime+cutime+cstime of the spawn process from /proc/PID/stat before and after
 * (C qmail-remote children are waited for by C qmail-rspawn, so they are in its cutime); per-process path,
 * cutime+cstime of this JVM (every child is waited for). Peak RSS: VmHWM of the spawn process (for C, of
 * qmail-rspawn alone, not its children); per process, the largest child (GNU time's %M), else n/a.
 */
public final class ResidentBenchmark {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final String SENDER = "alice@bench.test";
    private static final String RECIPIENT = "bob@example.test";
    private static final double TICK_MS = 10; // USER_HZ is 100 on Linux

    /** What to run; every field has the default {@code bin/bench --resident} uses. */
    static final class Options {
        List<String> sizes = List.of("1k", "100k", "10m");
        List<Integer> concurrencies = List.of(1, 20, 100);
        Integer count; // resident deliveries per line; null: by size
        Integer processCount; // per-process deliveries per line; null: by size
        boolean perProcess = true;
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
    }

    /** One line of the table. */
    record Line(String size, int atOnce, String path, int deliveries, double seconds, double cpuMs, long rssKb,
            int k, int z, int d, long sinkAccepted, String firstFailure) {
        boolean consistent() {
            return k + z + d == deliveries && sinkAccepted == k;
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
                case "--no-per-process" -> o.perProcess = false;
                case "--notqmail" -> o.notqmail = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: bench --resident"
                        + " [--sizes 1k,100k,10m] [--concurrency 1,20,100] [--count N] [--process-count N]"
                        + " [--no-per-process] [--notqmail BUILD_DIR]");
            }
        }
        List<Line> lines = run(o, Path.of(""), System.out);
        System.exit(lines.stream().allMatch(l -> l.consistent()) ? 0 : 1);
    }

    /** Runs every line, printing each as it is done; {@code from} is a directory at or below the project. */
    static List<Line> run(Options o, Path from, PrintStream out) throws Exception {
        Path root = projectRoot(from);
        Path work = Files.createTempDirectory("qremote-rbench");
        String user = Files.getOwner(work).getName();
        List<Line> lines = new ArrayList<>();
        try (SmtpServer sink = SmtpServer.start(InetAddress.getLoopbackAddress(), 0,
                SmtpScript.builder().sink().extensions("PIPELINING", "8BITMIME").build())) {
            int port = sink.address().getPort();
            Path home = work.resolve("qmail");
            prepareHome(home, port);
            Map<String, String> ids = new LinkedHashMap<>();
            for (String size : o.sizes) {
                String id = "0/" + (1000 + ids.size());
                Files.write(home.resolve("queue/mess").resolve(id), DeliveryBenchmark.message(bytes(size)));
                ids.put(size, id);
            }
            CBuild c = CBuild.find(o.notqmail, user, out);
            if (c != null) {
                prepareHome(c.home(), port);
                for (Map.Entry<String, String> e : ids.entrySet()) {
                    Files.copy(home.resolve("queue/mess").resolve(e.getValue()),
                            c.home().resolve("queue/mess").resolve(e.getValue()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            boolean time = Files.isExecutable(TIME);
            out.printf(Locale.ROOT, "machine: %d cores, %s %s; %s %s; queue user %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), user);
            out.println("load average at the start: " + Files.readString(Path.of("/proc/loadavg")).strip());
            if (!o.perProcess) {
                out.println("per-process bin/qmail-remote: skipped (--no-per-process)");
            } else if (!time) {
                out.println("per-process bin/qmail-remote: peak RSS n/a (no GNU time at /usr/bin/time)");
            }
            out.printf(Locale.ROOT, "%n%-5s %7s %-28s %6s %9s %10s %8s %6s %4s %4s %6s  %s%n", "size", "at once", "path",
                    "deliv", "deliv/s", "cpu ms/dl", "rss MB", "K", "Z", "D", "sink", "check");
            Map<String, String> residentEnv = new LinkedHashMap<>();
            residentEnv.put("QMAILHOME", home.toString());
            residentEnv.put("QREMOTE_QMAILQ", user);
            int maxAtOnce = o.concurrencies.stream().max(Integer::compare).orElse(1);
            residentEnv.put("QREMOTE_SPAWN_SLOTS", Integer.toString(Math.min(255, Math.max(120, maxAtOnce))));
            String javaOptions = System.getenv("QREMOTE_SPAWN_JAVA_OPTIONS");
            if (javaOptions != null) {
                residentEnv.put("QREMOTE_SPAWN_JAVA_OPTIONS", javaOptions); // a profiler, a heap limit to try
            }
            for (String size : o.sizes) {
                String id = ids.get(size);
                for (int atOnce : o.concurrencies) {
                    int n = o.count(size, atOnce);
                    lines.add(print(out, resident("qmail-rspawn (Java, resident)", size, atOnce, n, id,
                            List.of(root.resolve("bin/qmail-rspawn").toString()), residentEnv, sink, work)));
                    if (c != null) {
                        Map<String, String> cEnv = Map.of("QMAILREMOTE", c.dir().resolve("qmail-remote").toString());
                        lines.add(print(out, resident("C qmail-rspawn + C qmail-remote", size, atOnce, n, id,
                                List.of(c.dir().resolve("qmail-rspawn").toString()), cEnv, sink, work)));
                    }
                    if (o.perProcess) {
                        lines.add(print(out, perProcess(size, atOnce, o.processCount(size),
                                home.resolve("queue/mess").resolve(id), root.resolve("bin/qmail-remote"), home,
                                time, sink, work)));
                    }
                }
            }
            out.println();
            out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).strip());
            out.println(lines.stream().allMatch(Line::consistent)
                    ? "every line checked: each answer a K, Z or D, and the sink accepted exactly the K count"
                    : "CHECK FAILED on the lines marked MISMATCH");
        } finally {
            deleteTree(work);
        }
        return lines;
    }

    /** A notqmail build with qmail-rspawn and qmail-remote, its compiled-in home and queue user (conf-*). */
    private record CBuild(Path dir, Path home) {
        static CBuild find(String named, String user, PrintStream out) throws IOException {
            if (named == null || named.isBlank()) {
                out.println("C qmail-rspawn + C qmail-remote: skipped (no notqmail build named by"
                        + " QREMOTE_BENCH_NOTQMAIL or --notqmail)");
                return null;
            }
            Path dir = Path.of(named).toAbsolutePath();
            for (String f : List.of("qmail-rspawn", "qmail-remote", "conf-qmail", "conf-users")) {
                if (!Files.exists(dir.resolve(f))) {
                    out.println("C qmail-rspawn + C qmail-remote: skipped (" + dir.resolve(f) + " missing)");
                    return null;
                }
            }
            Path home = Path.of(Files.readAllLines(dir.resolve("conf-qmail")).get(0).trim());
            List<String> users = Files.readAllLines(dir.resolve("conf-users"));
            String queueUser = users.size() > 5 ? users.get(5).trim() : "";
            if (!queueUser.equals(user)) {
                out.println("C qmail-rspawn + C qmail-remote: skipped (built for queue user '" + queueUser
                        + "', the bench's files are owned by '" + user + "')");
                return null;
            }
            // the compiled-in home gets our control files: never a real qmail's
            if (Files.exists(home) && !Files.exists(home.resolve(".qremote-bench"))) {
                out.println("C qmail-rspawn + C qmail-remote: skipped (its home " + home
                        + " exists and is not a bench home: no .qremote-bench in it)");
                return null;
            }
            Files.createDirectories(home);
            Files.writeString(home.resolve(".qremote-bench"), "made by bin/bench --resident\n");
            return new CBuild(dir, home);
        }
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
    private static Line resident(String name, String size, int atOnce, int count, String id, List<String> command,
            Map<String, String> env, SmtpServer sink, Path work) throws Exception {
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
                return new Line(size, atOnce, name + " (slot limit " + limit + ")", 0, 0, 0, 0, 0, 0, 0, 0,
                        "skipped: fewer slots than asked at once");
            }
            int parallel = Math.min(atOnce, count);
            drive(answers, requests, id, parallel, Math.max(1, (count + 3) / 4), null);
            long sinkBefore = accepted(sink);
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
            long sinkDelta = accepted(sink) - sinkBefore;
            requests.close();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                failure[0] += " (did not exit after its input closed)";
            } else if (p.exitValue() != 0) {
                failure[0] += " (exit " + p.exitValue() + ")";
            }
            return new Line(size, parallel, name, count, seconds, cpu * TICK_MS / count, rss, kzd[0], kzd[1], kzd[2],
                    sinkDelta, failure[0]);
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

    /** One bin/qmail-remote process per delivery, {@code atOnce} at a time, the queue file as stdin. */
    private static Line perProcess(String size, int atOnce, int count, Path message, Path command, Path home,
            boolean time, SmtpServer sink, Path work) throws Exception {
        Map<String, String> env = Map.of("QMAILHOME", home.toString());
        int parallel = Math.min(atOnce, count);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (Future<Object[]> f : submit(pool, 2, message, command, env, time, work)) {
                f.get(); // warm the page cache and the start-up archive
            }
            long sinkBefore = accepted(sink);
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
            return new Line(size, parallel, "bin/qmail-remote (per process)", count, seconds, cpu * TICK_MS / count, rss,
                    kzd[0], kzd[1], kzd[2], accepted(sink) - sinkBefore, failure);
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

    /** Messages the sink has answered with a 2xx after the final dot, all sessions so far. */
    private static long accepted(SmtpServer sink) {
        return sink.repliesAfterMessage().stream().filter(r -> r.startsWith("2")).count();
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
        String check = l.deliveries() == 0 ? l.firstFailure() : l.consistent() ? "ok" : "MISMATCH";
        out.printf(Locale.ROOT, "%-5s %7d %-28s %6d %9.1f %10.2f %8s %6d %4d %4d %6d  %s%s%n", l.size(), l.atOnce(),
                l.path(), l.deliveries(), l.deliveries() == 0 ? 0 : l.deliveries() / l.seconds(), l.cpuMs(),
                l.rssKb() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", l.rssKb() / 1024.0), l.k(), l.z(), l.d(),
                l.sinkAccepted(), check, l.firstFailure().isEmpty() || l.deliveries() == 0 ? ""
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
