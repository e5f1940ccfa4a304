package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Deadline;
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
 * The wait is shortened to the time the delivery's deadline leaves; a connection that times out only
 * because of that says nothing about the host and is not remembered.
 */
final class Dialer {
    private final DeliveryContext context;
    private final TimeoutMemory memory;
    private final Duration timeout;
    private final Deadline deadline;

    Dialer(DeliveryContext context, TimeoutMemory memory, Duration timeout, Deadline deadline) {
        this.context = context;
        this.memory = memory;
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /**
     * The connected socket, or empty when the connection failed (and was remembered); {@code before} is what
     * the timeout memory said of the address before (a made connection clears only a listed address).
     */
    Optional<Socket> dial(InetAddress address, int port, Optional<InetAddress> local, TimeoutMemory.Check before)
            throws Connector.BindException {
        Socket socket;
        Duration wait = deadline.bound(timeout);
        boolean shortened = wait.compareTo(timeout) < 0;
        if (wait.toMillis() < 1) {
            wait = Duration.ofMillis(1); // a zero timeout would mean "wait forever" to a socket
        }
        try {
            socket = context.connector().connect(new InetSocketAddress(address, port), local, wait,
                    deadline.cancellation());
        } catch (Connector.BindException e) {
            throw e;
        } catch (IOException e) {
            boolean timedOut = e instanceof SocketTimeoutException;
            if (!(timedOut && shortened)) {
                memory.record(address, timedOut, before);
            }
            return Optional.empty();
        }
        memory.record(address, false, before);
        return Optional.of(socket);
    }

    /** As {@link #dial(InetAddress, int, Optional, TimeoutMemory.Check)} from whatever local address the kernel picks. */
    Optional<Socket> dial(InetAddress address, int port, TimeoutMemory.Check before) {
        try {
            return dial(address, port, Optional.empty(), before);
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
