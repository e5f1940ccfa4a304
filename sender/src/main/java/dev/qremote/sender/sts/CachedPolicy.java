package dev.qremote.sender.sts;

import java.time.Instant;

/** A policy as fetched: the TXT record's id at the time, the policy, and when it was fetched. */
public record CachedPolicy(String id, StsPolicy policy, Instant fetched) {

    /**
     * Whether max_age has not yet run out at {@code now} (RFC 8461 5.1). A fetch time after {@code now} is a
     * clock that was wrong, or a damaged cache file: not fresh, so such a policy never outlives its max_age.
     */
    public boolean freshAt(Instant now) {
        if (fetched.isAfter(now)) {
            return false;
        }
        // Duration.between cannot overflow between two Instants, fetched.plusSeconds could
        return java.time.Duration.between(fetched, now).compareTo(java.time.Duration.ofSeconds(policy.maxAge())) < 0;
    }
}
