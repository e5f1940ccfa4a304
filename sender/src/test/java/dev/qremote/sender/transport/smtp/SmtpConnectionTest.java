package dev.qremote.sender.transport.smtp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole-reply timeout of {@link SmtpConnection} over a real loopback socket. */
class SmtpConnectionTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /**
     * The JDK closes a socket by first shutting its output (a FIN), and only then the descriptor. A server
     * that answers the FIN at once (fake-mx ends a scripted silence when the client hangs up) can get its
     * reply read in between when the closing thread is descheduled: seen once in CI as a 250 to BDAT LAST
     * taken 1 s after the timeout, and a delivery that looked accepted. A reply that completes after the
     * timeout fired is no reply.
     */
    @Test
    void aReplyProvokedByTheTimeoutsOwnCloseIsNotTaken() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // silence until the client hangs up
                    }
                    s.getOutputStream().write("250 2.0.0 ok\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                    // the client is gone
                }
            });
            Socket client = new DescheduledCloser();
            client.connect(server.getLocalSocketAddress());
            SmtpConnection connection = new SmtpConnection(client, Duration.ofMillis(300), timer);
            assertThatThrownBy(() -> connection.read("BDAT")).isInstanceOf(IOException.class);
            peer.cancel(true);
        }
    }

    /**
     * A socket whose close is interrupted, as a descheduled thread would be, between shutting its output and
     * releasing the descriptor; and whose SO_TIMEOUT is long, so that only the whole-reply guard can end a read.
     */
    private static final class DescheduledCloser extends Socket {
        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(10_000);
        }

        @Override
        public synchronized void close() throws IOException {
            if (!isOutputShutdown() && !isClosed()) {
                shutdownOutput();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.close();
        }
    }
}
