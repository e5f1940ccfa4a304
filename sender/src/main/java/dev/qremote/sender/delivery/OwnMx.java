package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Destination;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * classic qmail-remote's loop check: mail exchangers at or below this machine's own best preference are
 * dropped, since sending there would loop back; none left means a bounce (#5.4.6). Shared by the engine
 * and qmail-remote-check.
 */
public final class OwnMx {
    private OwnMx() {
    }

    /** The destinations better than the best preference any of {@code mine} has (all, when none is ours). */
    public static List<Destination> better(List<Destination> destinations, Set<InetAddress> mine) {
        int own = Integer.MAX_VALUE;
        for (Destination d : destinations) {
            if (mine.contains(d.address())) {
                own = Math.min(own, d.preference());
            }
        }
        int limit = own;
        return destinations.stream().filter(d -> d.preference() < limit).toList();
    }
}
