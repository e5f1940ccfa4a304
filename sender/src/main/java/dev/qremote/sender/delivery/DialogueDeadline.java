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
}
