package dev.qremote.sender.sts;

import dev.qremote.sender.dns.ALabels;
import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the MTA-STS policy of a domain (RFC 8461 3.3, 5.1): the TXT record at _mta-sts.DOMAIN; a cached
 * policy (memory, then the policy directory) that is still fresh and was fetched under the same id is used
 * as it is; otherwise the policy is fetched, and kept when valid. When no policy can be had, a fresh cached
 * one is used whatever the TXT record says now (a record gone, a lookup failed, the policy host down);
 * without one the domain has no policy, and the outcome says why for TLS reporting. One per delivery.
 */
public final class StsDiscovery {
    /** What discovery found: a policy to apply (absent: none), and the outcome to record. */
    public record Found(Optional<StsPolicy> policy, StsOutcome outcome) {
    }

    private final DnsResolver resolver;
    private final PolicyMemory memory;
    private final Optional<PolicyDirectory> directory;
    private final PolicyFetcher fetcher;
    private final Clock clock;

    public StsDiscovery(DnsResolver resolver, PolicyMemory memory, Optional<PolicyDirectory> directory,
            PolicyFetcher fetcher, Clock clock) {
        this.resolver = resolver;
        this.memory = memory;
        this.directory = directory;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * The policy of {@code destination} (as qmail gives it: any case, perhaps with a final dot, perhaps
     * UTF-8 bytes one char per byte). Never throws.
     */
    public Found discover(String destination) {
        String domain = policyDomain(destination);
        Instant now = clock.instant();
        Optional<CachedPolicy> cached = cached(domain, now);
        Optional<String> id;
        try {
            DnsAnswer<String> answer = resolver.txt("_mta-sts." + domain);
            id = answer instanceof DnsAnswer.Found<String> found ? StsRecord.id(found.records()) : Optional.empty();
        } catch (DnsTemporaryException e) {
            id = Optional.empty();
        }
        if (id.isEmpty()) {
            return cached.map(c -> applied(domain, c.policy())).orElse(new Found(Optional.empty(),
                    StsOutcome.noPolicy(domain)));
        }
        if (cached.isPresent() && cached.get().id().equals(id.get())) {
            return applied(domain, cached.get().policy());
        }
        PolicyFetcher.Result result = fetcher.fetch(domain, addresses("mta-sts." + domain));
        if (result instanceof PolicyFetcher.Result.Body body) {
            try {
                StsPolicy policy = StsPolicy.parse(body.text());
                CachedPolicy fresh = new CachedPolicy(id.get(), policy, now);
                memory.put(domain, fresh);
                directory.ifPresent(d -> d.put(domain, fresh));
                return applied(domain, policy);
            } catch (StsPolicyException e) {
                result = new PolicyFetcher.Result.Failed("sts-policy-invalid", e.getMessage());
            }
        }
        PolicyFetcher.Result.Failed failed = (PolicyFetcher.Result.Failed) result;
        if (cached.isPresent()) {
            return applied(domain, cached.get().policy());
        }
        return new Found(Optional.empty(), StsOutcome.fetchFailed(domain, failed.resultType(), failed.reason()));
    }

    /**
     * The one name of a policy domain, for the TXT lookup, the policy host (SNI refuses a final dot), the
     * caches and reports: without the final dot, A-labels (RFC 5890), lower case.
     */
    static String policyDomain(String destination) {
        String name = destination.endsWith(".") && destination.length() > 1
                ? destination.substring(0, destination.length() - 1) : destination;
        return ALabels.of(name).orElse(name).toLowerCase(java.util.Locale.ROOT);
    }

    private static Found applied(String domain, StsPolicy policy) {
        return new Found(policy.mode() == StsMode.NONE ? Optional.empty() : Optional.of(policy),
                StsOutcome.applied(domain, policy));
    }

    private Optional<CachedPolicy> cached(String domain, Instant now) {
        Optional<CachedPolicy> kept = memory.get(domain).filter(c -> c.freshAt(now));
        if (kept.isPresent() || directory.isEmpty()) {
            return kept;
        }
        Optional<CachedPolicy> stored = directory.get().get(domain).filter(c -> c.freshAt(now));
        stored.ifPresent(c -> memory.put(domain, c));
        return stored;
    }

    private List<InetAddress> addresses(String host) {
        List<InetAddress> out = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            try {
                if (resolver.addresses(host, ipv6) instanceof DnsAnswer.Found<InetAddress> found) {
                    out.addAll(found.records());
                }
            } catch (DnsTemporaryException e) {
                // the other family may still answer
            }
        }
        return out;
    }
}
