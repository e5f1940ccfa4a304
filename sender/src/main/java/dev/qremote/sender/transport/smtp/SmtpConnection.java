package dev.qremote.sender.transport.smtp;

import dev.qremote.sender.transport.TimedSocket;
import dev.qremote.sender.transport.TlsUpgrade;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** Command lines out, replies in, over one socket; every read and write bounded by the remote timeout. */
public final class SmtpConnection implements Closeable {
    private final TimedSocket socket;
    private final Redaction redaction = new Redaction();
    private OutputStream out;
    private java.io.InputStream in;
    private final ScheduledExecutorService timer;
    private ReplyReader replies;
    private Duration readTimeout;
    private ReplyWatcher watcher;

    public SmtpConnection(Socket socket, Duration timeout, ScheduledExecutorService timer) throws IOException {
        this.socket = new TimedSocket(socket, timeout, timer);
        this.timer = timer;
        this.readTimeout = timeout;
        attach();
    }

    private void attach() {
        this.out = socket.out();
        this.in = socket.in();
        this.replies = new ReplyReader(in);
    }

    /**
     * Continues over TLS. Whatever the server sent before the handshake and was buffered is dropped with the
     * old reader (RFC 3207 4.2), so it can never be taken for a reply inside TLS.
     */
    void upgrade(TlsUpgrade upgrade) throws IOException {
        socket.upgrade(upgrade);
        attach();
    }

    /** Buffers one command line; nothing that could end the line early is ever written. */
    void send(String command) throws IOException {
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0' || c > 0xff) {
                throw new IllegalArgumentException("command contains CR, LF, NUL or a non-byte character");
            }
        }
        out.write(command.getBytes(StandardCharsets.ISO_8859_1));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * The next reply, with whatever was said during AUTH masked (see {@link Redaction}), except a 334 to
     * AUTH: a challenge, where a short secret may appear by chance in the base64.
     *
     * @throws java.net.SocketTimeoutException when the whole reply did not arrive within the read timeout
     */
    Reply read(String command) throws IOException, SmtpProtocolException {
        // the read timeout counts per read call; a server writing a byte at a time would never meet it, so
        // the whole reply gets the same time, and the socket is closed when it runs out
        ReplyGuard guard = new ReplyGuard();
        guard.future = timer.schedule(guard::expire, readTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        Reply reply;
        try {
            reply = replies.read(command);
        } catch (SmtpProtocolException e) {
            guard.settle();
            throw e.redacted(redaction);
        } catch (IOException | RuntimeException e) {
            guard.settle();
            throw e;
        }
        guard.settle();
        if (watcher != null) {
            watcher.replied(command, reply.code());
        }
        // a 334 to AUTH is the SASL exchange's input, taken as sent; SmtpClient masks it if it leaves the exchange
        return reply.code() == 334 && command.equals("AUTH") ? reply : redaction.apply(reply);
    }

    /**
     * The timer of one reply. Closing a socket shuts its output first (a FIN) and releases it after; a server
     * answering the FIN can have its reply read in between, and such a reply came after the time ran out.
     */
    private final class ReplyGuard {
        private java.util.concurrent.Future<?> future;
        private boolean settled;
        private boolean expired;

        private void expire() {
            synchronized (this) {
                if (settled) {
                    return;
                }
                expired = true;
            }
            closeQuietly();
        }

        /** Ends the timer; fails when it ran out first, whatever was read meanwhile. */
        private void settle() throws java.net.SocketTimeoutException {
            future.cancel(false);
            synchronized (this) {
                settled = true;
                if (expired) {
                    throw new java.net.SocketTimeoutException("no whole reply within " + readTimeout.toMillis() + " ms");
                }
            }
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the reader sees the closed socket
        }
    }

    void readTimeout(Duration wait) throws IOException {
        readTimeout = wait.toMillis() < 1 ? Duration.ofMillis(1) : wait;
        socket.readTimeout(readTimeout);
    }

    /** Whether the server has sent something not yet read; never blocks. */
    boolean inputWaiting() throws IOException {
        return in.available() > 0;
    }

    /**
     * Whether the server sent anything while the session was idle, under TLS too (see
     * {@link TimedSocket#undecryptedWaiting}); never blocks.
     */
    boolean saidWhileIdle() throws IOException {
        return in.available() > 0 || socket.undecryptedWaiting();
    }

    /** Who is told of each reply from now on; null: nobody. */
    void watch(ReplyWatcher watcher) {
        this.watcher = watcher;
    }

    /** Bytes handed to the socket so far. */
    long sent() {
        return socket.sent();
    }

    Redaction redaction() {
        return redaction;
    }

    /** The raw data stream, for the message body between DATA and the final dot. */
    OutputStream data() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
