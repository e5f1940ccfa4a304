package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.report.Report;
import java.time.Duration;

/**
 * How long each read of the SMTP dialogue may wait before the message transfer: timeoutremote, cut to what
 * control/timeoutdelivery leaves. From DATA (or the first BDAT) on, reads wait timeoutremote alone, as in
 * classic qmail, so a large message on a slow but working link is never cut (which would repeat forever).
 *
 * @param deadline the delivery's deadline
 * @param remoteTimeout control/timeoutremote
 * @param expired the report for a dialogue the deadline ended
 */
record DialogueDeadline(Deadline deadline, Duration remoteTimeout, Report expired) {

    /** The wait for the next read before DATA (the connection makes zero a millisecond, never "forever"). */
    Duration beforeData() {
        return deadline.bound(remoteTimeout);
    }

    /**
     * The wait for the greeting and for a TLS handshake: as {@link #beforeData}, and at most half of what the
     * deadline leaves, so that a server silent there leaves time for the next address, or for the plaintext
     * retry after a stalled opportunistic handshake (fresh9 M4: with the default timeoutremote, 1200 s, above
     * timeoutdelivery's 300, such a server took the whole deadline and nothing else was ever tried).
     */
    Duration opening() {
        Duration half = deadline.remaining().dividedBy(2);
        return deadline.bound(half.compareTo(remoteTimeout) < 0 ? half : remoteTimeout);
    }
}
