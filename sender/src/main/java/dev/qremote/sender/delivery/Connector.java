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

    /**
     * As {@link #connect(InetSocketAddress, Optional, Duration)}, the socket closed when {@code cancellation}
     * is cancelled: from the moment it exists for the JDK's sockets, from the moment it is connected for others.
     */
    default Socket connect(InetSocketAddress target, Optional<InetAddress> local, Duration timeout,
            dev.qremote.sender.dns.Cancellation cancellation) throws IOException {
        Socket socket = connect(target, local, timeout);
        cancellation.closeOnCancel(socket);
        return socket;
    }

    /** The local address of a route could not be bound. */
    final class BindException extends IOException {
        private static final long serialVersionUID = 1L;

        public BindException(String address, Throwable cause) {
            super(address, cause);
        }
    }

    /** Plain sockets from the JDK. */
    static Connector plain() {
        return new Connector() {
            @Override
            public Socket connect(InetSocketAddress target, Optional<InetAddress> local, Duration timeout)
                    throws IOException {
                return open(new Socket(), target, local, timeout);
            }

            @Override
            public Socket connect(InetSocketAddress target, Optional<InetAddress> local, Duration timeout,
                    dev.qremote.sender.dns.Cancellation cancellation) throws IOException {
                Socket socket = new Socket();
                cancellation.closeOnCancel(socket); // a connect under way ends too
                return open(socket, target, local, timeout);
            }
        };
    }

    private static Socket open(Socket socket, InetSocketAddress target, Optional<InetAddress> local, Duration timeout)
            throws IOException {
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
    }
}
