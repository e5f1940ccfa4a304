package dev.qremote.sender.machine;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer a {@link dev.qremote.sender.delivery.DeliveryContext} hands out: one daemon thread (it never
 * keeps a JVM alive), and cancelled tasks dropped at once, since every socket read and write arms a timeout
 * and cancels it (kept, they would pile up until they would have fired).
 */
public final class TimeoutTimers {
    private TimeoutTimers() {
    }

    /** A new timer whose thread is named {@code threadName}; the caller shuts it down. */
    public static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
