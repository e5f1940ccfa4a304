package dev.qremote.sender.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Connects to one address of a walk (SMTP or QMTP) and tells the timeout memory how it went, as classic
 * qmail-remote tells qmail-tcpto: a timed-out connection is remembered, a made one forgets the past.
 */
final class Dialer {
    private final DeliveryContext context;
    private final TimeoutMemory memory;
    private final Duration timeout;

    Dialer(DeliveryContext context, TimeoutMemory memory, Duration timeout) {
        this.context = context;
        this.memory = memory;
        this.timeout = timeout;
    }

    /** The connected socket, or empty when the connection failed (and was remembered). */
    Optional<Socket> dial(InetAddress address, int port, Optional<InetAddress> local) throws Connector.BindException {
        Socket socket;
        try {
            socket = context.connector().connect(new InetSocketAddress(address, port), local, timeout);
        } catch (Connector.BindException e) {
            throw e;
        } catch (IOException e) {
            memory.record(address, e instanceof SocketTimeoutException);
            return Optional.empty();
        }
        memory.record(address, false);
        return Optional.of(socket);
    }

    /** As {@link #dial(InetAddress, int, Optional)} from whatever local address the kernel picks. */
    Optional<Socket> dial(InetAddress address, int port) {
        try {
            return dial(address, port, Optional.empty());
        } catch (Connector.BindException notBinding) {
            return Optional.empty(); // nothing is bound, so nothing can fail to bind
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
