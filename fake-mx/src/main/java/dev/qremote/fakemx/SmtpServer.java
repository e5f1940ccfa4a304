package dev.qremote.fakemx;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on a real socket. Every connection runs the same script in its own thread; the
 * transcripts of all sessions and every accepted message are kept for assertions.
 */
public final class SmtpServer implements Closeable {
    private final ServerSocket listener;
    private volatile SmtpScript script;
    private final List<SmtpSession> sessions = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();

    private SmtpServer(ServerSocket listener, SmtpScript script) {
        this.listener = listener;
        this.script = script;
    }

    /** Starts on {@code address} and {@code port} (0: any free port). */
    public static SmtpServer start(InetAddress address, int port, SmtpScript script) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(address, port), 50);
        SmtpServer server = new SmtpServer(listener, script);
        Thread t = new Thread(server::acceptLoop, "fake-mx-accept");
        t.setDaemon(true);
        t.start();
        return server;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** Replaces the script for connections accepted from now on. */
    public void script(SmtpScript script) {
        this.script = script;
    }

    public List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    public int connections() {
        return sessions.size();
    }

    public List<Transcript> transcripts() {
        return sessions.stream().map(SmtpSession::transcript).toList();
    }

    /** Waits until every session so far has ended; false if that took longer than {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                continue;
            }
            SmtpSession session = new SmtpSession(socket, script, messages::add);
            sessions.add(session);
            running.incrementAndGet();
            Thread t = new Thread(() -> {
                try {
                    session.run();
                } finally {
                    running.decrementAndGet();
                }
            }, "fake-mx-session");
            t.setDaemon(true);
            t.start();
        }
    }
}
