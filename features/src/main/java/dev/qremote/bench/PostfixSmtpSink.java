package dev.qremote.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's {@code smtp-sink} (Debian package {@code postfix}; only this program is run, never Postfix's
 * daemons) as a child process on a free port of 127.0.0.1. Its count of accepted messages comes from its
 * {@code -c} counters, which it writes to stdout as {@code sess=N quit=N mesg=N} and a CR whenever a final dot
 * arrives (it answers every dot with 250: no command is rejected here). AUTH, XCLIENT and XFORWARD are not
 * announced; PIPELINING, 8BITMIME, DSN and ENHANCEDSTATUSCODES are.
 */
final class PostfixSmtpSink implements BenchSink {
    static final Path DEFAULT_BINARY = Path.of("/usr/sbin/smtp-sink");
    private static final Pattern MESSAGES = Pattern.compile("mesg=(\\d+)");
    private static final long SETTLE_MS = 200; // its counters reach our reader thread through a pipe

    private final Process process;
    private final int port;
    private final AtomicLong messages = new AtomicLong();

    private PostfixSmtpSink(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::readCounters, "smtp-sink counters");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts it on a port that was free a moment ago, trying again on another when that one was taken since
     * (smtp-sink binds with SO_REUSEPORT, so a started sink proves itself by the greeting name we gave it).
     *
     * @throws IOException when five ports in a row fail; the message holds smtp-sink's own error
     */
    static PostfixSmtpSink start(Path binary, Path work, boolean root) throws IOException, InterruptedException {
        String lastError = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            String name = "qremote-bench-" + ProcessHandle.current().pid() + "-" + port;
            List<String> argv = new ArrayList<>(List.of(binary.toString()));
            if (root) {
                argv.addAll(List.of("-u", "nobody")); // it refuses to run as root without a user to switch to
            }
            argv.addAll(List.of("-a", "-C", "-F", "-c", "-h", name, "127.0.0.1:" + port, "256"));
            Path stderr = work.resolve("smtp-sink.stderr");
            Process p = new ProcessBuilder(argv).redirectError(stderr.toFile()).start();
            if (answersAs(p, port, name, stderr)) {
                return new PostfixSmtpSink(p, port);
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            lastError = Files.exists(stderr) ? Files.readString(stderr).strip() : "";
        }
        throw new IOException("smtp-sink did not start: " + (lastError.isEmpty() ? "no greeting" : lastError));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits up to 5 s for a greeting that carries {@code name}; false when it failed or never answered. */
    private static boolean answersAs(Process p, int port, String name, Path stderr)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive() || (Files.exists(stderr) && Files.readString(stderr).contains("fatal"))) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                s.setSoTimeout(2000);
                byte[] greeting = new byte[200];
                int n = s.getInputStream().read(greeting);
                return n > 0 && new String(greeting, 0, n, StandardCharsets.ISO_8859_1).startsWith("220 " + name);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private void readCounters() {
        StringBuilder line = new StringBuilder();
        try (InputStream in = process.getInputStream()) {
            for (int b; (b = in.read()) >= 0;) {
                if (b == '\r' || b == '\n') {
                    Matcher m = MESSAGES.matcher(line);
                    if (m.find()) {
                        messages.set(Long.parseLong(m.group(1)));
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException closed) {
            // the sink was stopped
        }
    }

    @Override
    public String name() {
        return "smtp-sink";
    }

    @Override
    public int port() {
        return port;
    }

    /** Its {@code mesg=} counter once it has not moved for {@value #SETTLE_MS} ms. */
    @Override
    public long accepted() throws InterruptedException {
        long seen = messages.get();
        while (true) {
            Thread.sleep(SETTLE_MS);
            long now = messages.get();
            if (now == seen) {
                return now;
            }
            seen = now;
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
