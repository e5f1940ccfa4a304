package dev.qremote.fakemx;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A listening socket that hands every accepted connection to its own daemon thread, and knows when all are done. */
final class AcceptLoop implements Closeable {
    private final ServerSocket listener;
    private final AtomicInteger running = new AtomicInteger();
    /** The accept thread: the JDK frees the port only once the thread waiting in accept() has left. */
    private volatile Thread acceptor;

    private AcceptLoop(ServerSocket listener) {
        this.listener = listener;
    }

    static AcceptLoop start(InetAddress address, int port, String name, Consumer<Socket> handler) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(address, port), 50);
        AcceptLoop loop = new AcceptLoop(listener);
        Thread t = new Thread(() -> loop.accept(name, handler), name + "-accept");
        t.setDaemon(true);
        loop.acceptor = t;
        t.start();
        return loop;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    /** Stops accepting; returns once the port is free again (within seconds), so a new server can take it. */
    @Override
    public void close() {
        closeQuietly(listener);
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes a listener or a session's socket; a failure to close changes nothing for a fake server. */
    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void accept(String name, Consumer<Socket> handler) {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                continue;
            }
            try {
                socket.setTcpNoDelay(true); // replies go out at once: no Nagle stall charged to the client
            } catch (IOException ignored) {
                // keep the default
            }
            running.incrementAndGet();
            Thread t = new Thread(() -> {
                try {
                    handler.accept(socket);
                } finally {
                    running.decrementAndGet();
                }
            }, name + "-session");
            t.setDaemon(true);
            t.start();
        }
    }
}
