package dev.qremote.features;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A real QMTP server (image qremote/qmtp:bookworm, bench/containers/qmtp: Debian's mailfront 2.12 under
 * tcpserver) on the host's network, listening on one 127.0.0.x address and port. Each message it accepts is
 * one file in its store, in mailfront's queuedir form: the envelope sender and each recipient, each followed
 * by a NUL, then the message bytes as received; read back here byte for byte.
 */
final class QmtpContainer implements AutoCloseable {
    static final String IMAGE = "qremote/qmtp:bookworm";
    private static final String STORE = "/var/spool/qmtp/new/";
    private final GenericContainer<?> container;

    private QmtpContainer(GenericContainer<?> container) {
        this.container = container;
    }

    /**
     * Starts mailfront at {@code at}:{@code port} with {@code settings} (REFUSE, REFUSE_TEXT: see the image's
     * start script) and returns once tcpserver listens (its first status line; 60 s at most).
     */
    @SuppressWarnings("resource")
    static QmtpContainer start(LoopbackAddress at, int port, Map<String, String> settings) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withNetworkMode("host")
                .withEnv("LISTEN", at.address())
                .withEnv("PORT", Integer.toString(port))
                .withEnv(settings)
                .waitingFor(Wait.forLogMessage(".*tcpserver: status: 0/.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        container.start();
        return new QmtpContainer(container);
    }

    /** The stored files, oldest name first; waits up to {@code limit} until there are {@code count}. */
    List<byte[]> awaitStore(int count, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        List<String> names;
        while (true) {
            ExecResult listing = container.execInContainer("ls", "-1", STORE);
            names = listing.getStdout().lines().filter(name -> !name.isBlank()).sorted().toList();
            if (names.size() >= count || System.nanoTime() > end) {
                break;
            }
            Thread.sleep(200);
        }
        List<byte[]> messages = new ArrayList<>();
        for (String name : names) {
            messages.add(container.copyFileFromContainer(STORE + name, in -> in.readAllBytes()));
        }
        return messages;
    }

    /** tcpserver's and mailfront's log lines so far. */
    String log() {
        return container.getLogs();
    }

    @Override
    public void close() {
        container.stop();
    }
}
