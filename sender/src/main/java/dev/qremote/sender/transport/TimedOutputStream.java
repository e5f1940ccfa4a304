package dev.qremote.sender.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Java socket writes never time out, so a server that stops reading would hold a delivery forever. Each
 * write here arms a timer that closes the socket when the write takes longer than the remote timeout
 * (classic qmail's timeoutwrite), and the write then fails with {@link SocketTimeoutException}.
 */
public final class TimedOutputStream extends OutputStream {
    private final OutputStream out;
    private final Socket socket;
    private final long timeoutMillis;
    private final ScheduledExecutorService timer;
    private volatile boolean expired;
    /** Bytes the socket took (for the delivery log); read by the writing thread only. */
    private long written;

    public TimedOutputStream(OutputStream out, Socket socket, Duration timeout, ScheduledExecutorService timer) {
        this.out = out;
        this.socket = socket;
        this.timeoutMillis = timeout.toMillis();
        this.timer = timer;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = timer.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(b, off, len);
            written += len;
        } catch (IOException e) {
            throw expired ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    /** Bytes written through this stream so far. */
    public long written() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void expire() {
        expired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // the write that is blocked fails either way
        }
    }

    private static SocketTimeoutException timeout(IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("write timed out");
        e.initCause(cause);
        return e;
    }
}
