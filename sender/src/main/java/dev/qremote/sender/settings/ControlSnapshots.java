package dev.qremote.sender.settings;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The current {@link ControlSnapshot} of one qmail home, read again when the files change. At most once per
 * {@code recheck} interval (by the injected clock; {@link #DEFAULT_RECHECK} is one second) a call looks at
 * every file the snapshot read, every directory it listed and every file it found missing (modification
 * time, size, file key); when any differs it reads a new snapshot. Deliveries that took the old one keep it.
 *
 * <p>Thread-safe: the snapshot is published through a volatile field. One caller at a time checks; while it
 * does, others get the snapshot in hand rather than wait (only the very first read is waited for). A change
 * that keeps a file's size within the file system's timestamp granularity, or a symbolic link in tlshosts/
 * or notlshosts/ pointed elsewhere, is not seen until something else changes.
 */
public final class ControlSnapshots {
    /** How long a snapshot is used without looking at the files: changes show within this time. */
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

    private final Path home;
    private final Clock clock;
    private final Duration recheck;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Held held;

    /** What is handed out, and when its files were last found unchanged. */
    private record Held(ControlSnapshot snapshot, Instant checkedAt) {
    }

    /**
     * Nothing is read until the first {@link #current()}.
     *
     * @param recheck at least zero; zero looks at the files on every call
     */
    public ControlSnapshots(Path qmailHome, Clock clock, Duration recheck) {
        if (recheck.isNegative()) {
            throw new IllegalArgumentException("negative recheck interval");
        }
        this.home = qmailHome;
        this.clock = clock;
        this.recheck = recheck;
    }

    /** The snapshot for a delivery starting now. Never throws for a file's content or an I/O error. */
    public ControlSnapshot current() {
        Held h = held;
        if (h != null && fresh(h, clock.instant())) {
            return h.snapshot();
        }
        if (h != null) {
            if (!checking.tryLock()) {
                return h.snapshot(); // someone is checking: the files were fine a moment ago
            }
        } else {
            checking.lock();
        }
        try {
            h = held;
            Instant now = clock.instant();
            if (h != null && fresh(h, now)) {
                return h.snapshot();
            }
            ControlSnapshot snapshot = h != null && unchanged(h.snapshot().stamps()) ? h.snapshot()
                    : ControlSnapshot.read(home, true);
            held = new Held(snapshot, now);
            return snapshot;
        } finally {
            checking.unlock();
        }
    }

    /** Checked within the interval; a clock that went back counts as due. */
    private boolean fresh(Held h, Instant now) {
        return !now.isBefore(h.checkedAt()) && now.isBefore(h.checkedAt().plus(recheck));
    }

    private static boolean unchanged(Map<Path, FileStamp> stamps) {
        for (Map.Entry<Path, FileStamp> e : stamps.entrySet()) {
            if (!FileStamp.of(e.getKey()).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
