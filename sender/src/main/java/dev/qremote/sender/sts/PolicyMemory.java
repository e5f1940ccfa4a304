package dev.qremote.sender.sts;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policies kept in memory between deliveries (the resident qmail-rspawn's; one per engine context, never
 * static). Thread-safe. Bounded: past {@link #MAX_DOMAINS} domains it starts again empty (the policy
 * directory, when there is one, still has them).
 */
public final class PolicyMemory {
    static final int MAX_DOMAINS = 10_000;
    private final ConcurrentHashMap<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    public Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(policies.get(domain.toLowerCase(Locale.ROOT)));
    }

    public void put(String domain, CachedPolicy policy) {
        if (policies.size() >= MAX_DOMAINS) {
            policies.clear();
        }
        policies.put(domain.toLowerCase(Locale.ROOT), policy);
    }
}
