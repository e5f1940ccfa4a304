package dev.qremote.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Postfix (image qremote/postfix:bookworm, bench/containers/postfix) on the host's network, listening
 * only on the ports given in its settings at one 127.0.0.x address: PLAIN_PORT, SMTP_PORT (STARTTLS),
 * SMTPS_PORT, SUBMISSION_PORT, plus SASL_MECHANISMS and POSTCONF (see the image's start script). Mail for
 * bob@example.test goes to a Maildir read back here byte for byte; Postfix's own log is read back too.
 */
final class PostfixContainer implements AutoCloseable {
    static final String IMAGE = "qremote/postfix:bookworm";
    private static final String MAILDIR = "/home/bob/Maildir/new/";
    private final GenericContainer<?> container;

    private PostfixContainer(GenericContainer<?> container) {
        this.container = container;
    }

    /** Starts Postfix with {@code settings} and returns once every listed port greets with 220 (60 s at most). */
    @SuppressWarnings("resource")
    static PostfixContainer start(LoopbackAddress at, Map<String, String> settings) throws Exception {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withNetworkMode("host")
                .withEnv("LISTEN", at.address())
                .withEnv(settings);
        container.start();
        PostfixContainer postfix = new PostfixContainer(container);
        try {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                if (setting.getKey().equals("PLAIN_PORT") || setting.getKey().equals("SMTP_PORT")
                        || setting.getKey().equals("SUBMISSION_PORT")) {
                    awaitGreeting(at.address(), Integer.parseInt(setting.getValue()), Duration.ofSeconds(60));
                }
            }
            if (settings.containsKey("SMTPS_PORT")) {
                awaitListening(at.address(), Integer.parseInt(settings.get("SMTPS_PORT")), Duration.ofSeconds(60));
            }
        } catch (Exception | AssertionError e) {
            String log = postfix.log();
            postfix.close();
            throw new IllegalStateException("Postfix did not come up; its output: " + container.getLogs()
                    + "\nits log: " + log, e);
        }
        return postfix;
    }

    private static void awaitGreeting(String address, int port, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 1000);
                socket.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1)).readLine();
                if (line != null && line.startsWith("220 ")) {
                    socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new IOException("no 220 greeting on " + address + ":" + port + " within " + limit);
            }
            Thread.sleep(200);
        }
    }

    /** TLS from the first byte: a plain connect is all that can be asked without a handshake. */
    private static void awaitListening(String address, int port, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new IOException("nothing listens on " + address + ":" + port + " within " + limit);
                }
            }
            Thread.sleep(200);
        }
    }

    /** The files in bob's Maildir, as stored; waits up to {@code limit} until there are {@code count} of them. */
    List<byte[]> awaitMailbox(int count, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        List<String> names;
        while (true) {
            ExecResult listing = container.execInContainer("ls", "-1", MAILDIR);
            names = listing.getStdout().lines().filter(name -> !name.isBlank()).toList();
            if (names.size() >= count || System.nanoTime() > end) {
                break;
            }
            Thread.sleep(200);
        }
        List<byte[]> messages = new ArrayList<>();
        for (String name : names) {
            messages.add(container.copyFileFromContainer(MAILDIR + name, in -> in.readAllBytes()));
        }
        return messages;
    }

    /** A file of the container, as it is now. */
    byte[] file(String path) {
        return container.copyFileFromContainer(path, in -> in.readAllBytes());
    }

    /** Postfix's own log (maillog_file) as it is now. */
    String log() throws Exception {
        return container.execInContainer("cat", "/var/log/postfix.log").getStdout();
    }

    /** Waits up to {@code limit} until Postfix's log holds {@code text}; returns the log as it is then. */
    String awaitLog(String text, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        String log = log();
        while (!log.contains(text) && System.nanoTime() < end) {
            Thread.sleep(200);
            log = log();
        }
        return log;
    }

    @Override
    public void close() {
        container.stop();
    }
}
