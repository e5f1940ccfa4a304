package dev.qremote.sender.dns;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The handle by which one delivery is cancelled from another thread (a resident process shutting down, a
 * caller giving up). Cancelling makes the delivery's {@link Deadline} pass at once, so no further question
 * is asked and no further connection begun, and closes what the delivery registered (its sockets), so a
 * wait on the network ends now, not at its timeout. A DNS question already on its way ends within its own
 * timeout. The delivery then ends as a temporary failure. Thread-safe; cancelling twice does nothing more.
 * Here in dns, beside {@link Deadline}, because DNS is the lowest layer that waits on it.
 */
public final class Cancellation {
    private final List<Closeable> registered = new ArrayList<>();
    private volatile boolean cancelled;

    /** A handle for one delivery, not cancelled. */
    public static Cancellation create() {
        return new Cancellation();
    }

    /** Cancels: what is registered is closed, whatever registers later is closed at once. */
    public void cancel() {
        List<Closeable> closing;
        synchronized (registered) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            closing = new ArrayList<>(registered);
            registered.clear();
        }
        closing.forEach(Cancellation::closeQuietly);
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Closes {@code resource} when the delivery is cancelled (at once, if it already is). Closing it also
     * in the ordinary way is harmless.
     */
    public void closeOnCancel(Closeable resource) {
        synchronized (registered) {
            if (!cancelled) {
                registered.removeIf(Cancellation::closedSocket); // a long walk leaves no pile of dead sockets
                registered.add(resource);
                return;
            }
        }
        closeQuietly(resource);
    }

    /**
     * Stops closing {@code resource} on cancel: it now belongs to no delivery (a kept SMTP session), or to
     * another one, which registers it with its own handle. Releasing what is not registered does nothing.
     */
    public void release(Closeable resource) {
        synchronized (registered) {
            registered.remove(resource);
        }
    }

    private static boolean closedSocket(Closeable c) {
        return c instanceof java.net.Socket s && s.isClosed();
    }

    private static void closeQuietly(Closeable resource) {
        try {
            resource.close();
        } catch (IOException ignored) {
            // cancelled all the same
        }
    }
}
