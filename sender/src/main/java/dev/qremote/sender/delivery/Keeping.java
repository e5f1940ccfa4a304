package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Cancellation;
import java.time.Duration;

/**
 * Whether and where an SMTP session may be kept after its delivery: the cache, the session's key (TLS on or
 * off is filled in at the end), the idle time and the deliveries per session (control/reuseidle and
 * control/reusemax), and the delivery's cancellation, which lets go of the socket when it is kept.
 */
record Keeping(SessionCache cache, SessionKey key, Duration idle, int maxUses, Cancellation cancellation) {
    static final Keeping NEVER = new Keeping(SessionCache.disabled(), null, Duration.ZERO, 0, null);

    /** Whether a session that will have carried {@code uses} deliveries may be kept for another. */
    boolean allows(int uses) {
        return key != null && cache.enabled() && uses < maxUses;
    }

    /** Hands {@code session} to the cache, released from this delivery's cancellation; closes it if cancelled. */
    void keep(IdleSession session) {
        cancellation.release(session.socket());
        if (cancellation.cancelled()) {
            session.close();
            return;
        }
        cache.give(key.withTls(session.tls() != null), session, idle);
    }
}
