package dev.qremote.fakemx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted SMTP server on a real socket. Every connection runs the script current at accept time in its
 * own thread; the transcripts of all sessions and every accepted message are kept for assertions.
 */
public final class SmtpServer implements FakeServer {
    private volatile SmtpScript script;
    private final List<SmtpSession> sessions = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<java.net.InetAddress> clients = new CopyOnWriteArrayList<>();
    private AcceptLoop loop;

    private SmtpServer(SmtpScript script) {
        this.script = script;
    }

    /** Starts on {@code address} and {@code port} (0: any free port). */
    public static SmtpServer start(InetAddress address, int port, SmtpScript script) throws IOException {
        SmtpServer server = new SmtpServer(script);
        server.loop = AcceptLoop.start(address, port, "fake-mx", socket -> {
            server.clients.add(socket.getInetAddress());
            SmtpSession session;
            synchronized (server.sessions) {
                session = new SmtpSession(socket, server.script, server.messages::add, server.sessions.size() + 1);
                server.sessions.add(session);
            }
            session.run();
        });
        return server;
    }

    public InetSocketAddress address() {
        return loop.address();
    }

    /** Replaces the script for connections accepted from now on. */
    public void script(SmtpScript script) {
        this.script = script;
    }

    public List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    /** The address each connection came from, in order. */
    public List<java.net.InetAddress> clientAddresses() {
        return List.copyOf(clients);
    }

    public int connections() {
        return sessions.size();
    }

    /**
     * For each message a client completed (the final dot, or all of BDAT LAST read), in session order: the
     * first line this server wrote after it, without CRLF; "" when it wrote none before the session ended.
     * What lets a test say "no K unless a 250 followed the final dot".
     */
    public List<String> repliesAfterMessage() {
        return sessions.stream().flatMap(s -> s.repliesAfterMessage().stream()).toList();
    }

    public List<Transcript> transcripts() {
        return sessions.stream().map(SmtpSession::transcript).toList();
    }

    /** The TLS state of each session in order, null for sessions that stayed plaintext. */
    public List<TlsInfo> tlsSessions() {
        return sessions.stream().map(SmtpSession::tls).toList();
    }

    /** Waits until every session so far has ended; false if that took longer than {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return loop.awaitIdle(timeout);
    }

    @Override
    public void close() {
        loop.close();
    }
}
