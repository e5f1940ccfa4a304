package dev.qremote.sender.delivery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens TCP connections; injected so a resident mode or a test can supply its own sockets. */
@FunctionalInterface
public interface Connector {

    Socket connect(InetSocketAddress target, Duration timeout) throws IOException;

    /** Plain sockets from the JDK. */
    static Connector plain() {
        return (target, timeout) -> {
            Socket socket = new Socket();
            try {
                socket.connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }
}
