package dev.qremote.sender.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/** Opens TCP connections; injected so a resident mode or a test can supply its own sockets. */
@FunctionalInterface
public interface Connector {

    /**
     * @param local the local address to bind first, when a route names one
     * @throws BindException when that address cannot be bound (not this machine's, say)
     */
    Socket connect(InetSocketAddress target, Optional<InetAddress> local, Duration timeout) throws IOException;

    /** The local address of a route could not be bound. */
    final class BindException extends IOException {
        private static final long serialVersionUID = 1L;

        public BindException(String address, Throwable cause) {
            super(address, cause);
        }
    }

    /** Plain sockets from the JDK. */
    static Connector plain() {
        return (target, local, timeout) -> {
            Socket socket = new Socket();
            try {
                if (local.isPresent()) {
                    try {
                        socket.bind(new InetSocketAddress(local.get(), 0));
                    } catch (IOException e) {
                        throw new BindException(local.get().getHostAddress(), e);
                    }
                }
                socket.connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }
}
