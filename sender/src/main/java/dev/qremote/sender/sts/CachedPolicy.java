package dev.qremote.sender.sts;

import java.time.Instant;

/** A policy as fetched: the TXT record's id at the time, the policy, and when it was fetched. */
public record CachedPolicy(String id, StsPolicy policy, Instant fetched) {

    /** Whether max_age has not yet run out at {@code now} (RFC 8461 5.1). */
    public boolean freshAt(Instant now) {
        return now.isBefore(fetched.plusSeconds(policy.maxAge()));
    }
}
