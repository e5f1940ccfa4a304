package dev.qremote.sender.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Idle SMTP sessions kept for the next delivery to the same peer (Postfix's connection cache): one per
 * engine, in the context of a resident process; the per-process front end never keeps one (the disabled
 * cache, the default). {@link #take} hands a session to one delivery alone, the last one kept first;
 * {@link #give} keeps one for its idle time (control/reuseidle), after which it is closed with QUIT by a task
 * on the timer, or closes it at once when the cache is full ({@value #DEFAULT_LIMIT} sessions in all, so
 * file descriptors stay bounded) or closed. Thread-safe.
 */
public final class SessionCache implements AutoCloseable {
    /** Idle sessions kept at most, all peers together. */
    public static final int DEFAULT_LIMIT = 256;
    private static final SessionCache DISABLED = new SessionCache(null, 0);

    private final ScheduledExecutorService timer;
    private final int limit;
    /** Guarded by {@code this}; null when disabled. */
    private final Map<SessionKey, ArrayDeque<Entry>> idle;
    private int count;
    private boolean closed;

    /** One kept session and its expiry task. */
    private static final class Entry {
        final SessionKey key;
        final IdleSession session;
        Future<?> expiry;

        Entry(SessionKey key, IdleSession session) {
            this.key = key;
            this.session = session;
        }
    }

    /**
     * @param timer runs the idle expiry (the context's timer)
     * @param limit idle sessions kept at most; 0 keeps none
     */
    public SessionCache(ScheduledExecutorService timer, int limit) {
        this.timer = timer;
        this.limit = limit;
        this.idle = limit > 0 ? new HashMap<>() : null;
    }

    /** A cache with the default limit, expiring on {@code timer}. */
    public static SessionCache create(ScheduledExecutorService timer) {
        return new SessionCache(timer, DEFAULT_LIMIT);
    }

    /** The cache that keeps nothing: a per-process qmail-remote ends its session after each delivery. */
    public static SessionCache disabled() {
        return DISABLED;
    }

    /** Whether sessions may be kept at all. */
    public boolean enabled() {
        return idle != null;
    }

    /** Removes and returns an idle session for {@code key}, the last kept first; empty when there is none. */
    Optional<IdleSession> take(SessionKey key) {
        Entry entry;
        synchronized (this) {
            if (idle == null) {
                return Optional.empty();
            }
            ArrayDeque<Entry> kept = idle.get(key);
            if (kept == null) {
                return Optional.empty();
            }
            entry = kept.pollLast();
            if (kept.isEmpty()) {
                idle.remove(key);
            }
            count--;
        }
        entry.expiry.cancel(false);
        return Optional.of(entry.session);
    }

    /** Whether an idle session to {@code peer} (any port, TLS state or identity) is kept now. */
    synchronized boolean holdsFor(java.net.InetAddress peer) {
        if (idle == null) {
            return false;
        }
        for (SessionKey key : idle.keySet()) {
            if (key.peer().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps {@code session} for {@code idleFor}, or closes it when the cache is full or closed. */
    void give(SessionKey key, IdleSession session, Duration idleFor) {
        synchronized (this) {
            if (idle != null && !closed && count < limit && !idleFor.isZero()) {
                Entry entry = new Entry(key, session);
                try {
                    entry.expiry = timer.schedule(() -> expire(entry), idleFor.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    entry.expiry = null; // the timer is gone: so is the cache's use
                }
                if (entry.expiry != null) {
                    idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
                    count++;
                    return;
                }
            }
        }
        session.close();
    }

    /** The idle time of {@code entry} is over: closed, unless a delivery took it meanwhile. */
    private void expire(Entry entry) {
        synchronized (this) {
            ArrayDeque<Entry> kept = idle.get(entry.key);
            if (kept == null || !kept.removeIf(e -> e == entry)) {
                return;
            }
            if (kept.isEmpty()) {
                idle.remove(entry.key);
            }
            count--;
        }
        entry.session.close();
    }

    /** How many sessions are idle now. */
    public synchronized int idleCount() {
        return count;
    }

    /** Closes every idle session (QUIT, not awaited); later ones given are closed at once. */
    @Override
    public void close() {
        List<Entry> closing = new ArrayList<>();
        synchronized (this) {
            if (idle == null) {
                return;
            }
            closed = true;
            idle.values().forEach(closing::addAll);
            idle.clear();
            count = 0;
        }
        for (Entry entry : closing) {
            entry.expiry.cancel(false);
            entry.session.close();
        }
    }
}
