package dev.qremote.sender.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A connected socket with buffered streams whose every read and write is bounded by the remote timeout
 * (classic qmail's timeoutread and timeoutwrite), and TCP_NODELAY: commands go out at once. After a TLS
 * handshake the streams are those of the TLS socket; what was buffered before is dropped with the old ones.
 */
public final class TimedSocket {
    /** Bytes held before a write (a whole BDAT chunk with its command goes out in one). */
    private static final int OUT_LIMIT = 64 * 1024;
    /** What a connection's output buffer starts with: room for the commands and a small message. */
    private static final int OUT_START = 2 * 1024;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private Socket socket;
    /** The TCP socket connected first, under TLS when {@link #upgrade} ran. */
    private final Socket raw;
    private OutputStream out;
    private InputStream in;
    private TimedOutputStream timed;
    /** Bytes written through the streams of earlier layers (before a TLS handshake). */
    private long sentBefore;

    public TimedSocket(Socket socket, Duration timeout, ScheduledExecutorService timer) throws IOException {
        this.timeout = timeout;
        this.timer = timer;
        this.raw = socket;
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        socket.setTcpNoDelay(true);
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        if (timed != null) {
            sentBefore += timed.written();
        }
        timed = new TimedOutputStream(s.getOutputStream(), s, timeout, timer);
        out = new GrowingBufferedOutputStream(timed, OUT_START, OUT_LIMIT);
        in = new ReadBuffer(s.getInputStream(), 4096);
    }

    /** Continues over TLS: the handshake runs on the current socket, then its streams replace the old ones. */
    public void upgrade(TlsUpgrade upgrade) throws IOException {
        attach(upgrade.handshake(socket));
    }

    /** How long each later read may wait (SO_TIMEOUT of the current socket, TLS or not); at least 1 ms. */
    public void readTimeout(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis())));
    }

    /** Bytes handed to the socket so far (SMTP's own bytes, before TLS adds its own), not those still buffered. */
    public long sent() {
        return sentBefore + timed.written();
    }

    /**
     * Whether bytes are waiting under TLS that the TLS layer has not yet read: the input stream's available()
     * counts only what was decrypted, so a record the server sent unasked stays unseen there. Never blocks.
     * Right after a handshake this may be a session ticket; on a session that was idle it is the server's.
     */
    public boolean undecryptedWaiting() throws IOException {
        return socket != raw && raw.getInputStream().available() > 0;
    }

    public OutputStream out() {
        return out;
    }

    public InputStream in() {
        return in;
    }

    public void close() throws IOException {
        socket.close();
    }
}
