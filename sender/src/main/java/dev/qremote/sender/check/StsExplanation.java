package dev.qremote.sender.check;

import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.machine.SystemContext;
import dev.qremote.sender.sts.CachedPolicy;
import dev.qremote.sender.sts.PolicyDirectory;
import dev.qremote.sender.sts.PolicyFetcher;
import dev.qremote.sender.sts.PolicyMemory;
import dev.qremote.sender.sts.StsDiscovery;
import dev.qremote.sender.sts.StsMode;
import dev.qremote.sender.sts.StsOutcome;
import dev.qremote.sender.sts.StsPolicy;
import dev.qremote.sender.sts.StsRecord;
import dev.qremote.sender.sts.StsSettings;
import dev.qremote.sender.tls.TlsConfigException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The MTA-STS part of a delivery explained (RFC 8461), when control/mtasts is on: the TXT record at
 * _mta-sts.DOMAIN and its id, the policy kept in control/mtastscache, and the policy a delivery would apply,
 * found by {@link StsDiscovery} itself with a delivery's settings (the CA file, port 443 or
 * QREMOTE_HTTPS_PORT, timeoutconnect, 60 s) except that nothing is written to the cache: a throwaway
 * memory holds what the cache held. Then for each MX whether the policy lists it. A policy that cannot be
 * had, and an enforce policy that lists no MX, are problems: the first makes deliveries go as without a
 * policy, the second defers every delivery.
 */
final class StsExplanation {
    /** The port of policy hosts (RFC 8461 3.3), moved by QREMOTE_HTTPS_PORT as for a delivery. */
    private static final int HTTPS_PORT = 443;
    /** A policy fetch's time limit, as a delivery's (RFC 8461 3.3 suggests at most a minute). */
    private static final Duration FETCH_LIMIT = Duration.ofSeconds(60);

    private StsExplanation() {
    }

    /**
     * Appends the lines for mail to {@code domain} (no final dot) with mail exchangers {@code mxHosts}, in
     * the order tried; nothing when MTA-STS is off. Never throws.
     */
    static void explain(List<String> out, StsSettings sts, SystemContext context, DnsResolver resolver,
            Duration connectTimeout, Deadline deadline, String domain, List<String> mxHosts) {
        if (!sts.enabled()) {
            return;
        }
        out.add("mta-sts: on (control/mtasts)");
        String name = "_mta-sts." + domain;
        try {
            DnsAnswer<String> answer = resolver.txt(name);
            List<String> texts = answer instanceof DnsAnswer.Found<String> found ? found.records() : List.of();
            List<String> versioned = texts.stream().filter(t -> t.startsWith("v=STSv1")).toList();
            Optional<String> id = StsRecord.id(texts);
            if (id.isPresent()) {
                out.add("  record: TXT at " + name + " \"" + versioned.get(0) + "\", id " + id.get());
            } else if (versioned.isEmpty()) {
                out.add("  record: none at " + name + " (no TXT record starting with v=STSv1): the domain"
                        + " publishes no policy");
            } else {
                out.add("  record: " + versioned.size() + " TXT record(s) at " + name + " start with v=STSv1, and"
                        + " not exactly one valid: no policy published");
            }
        } catch (DnsTemporaryException e) {
            out.add("  record: the lookup of " + name + " failed temporarily (" + e.getMessage() + "): a delivery"
                    + " would use a fresh cached policy, else none");
        }
        out.add("  cache in memory: none here (each qmail-remote starts without; a resident qmail-rspawn keeps its"
                + " own)");
        Instant now = Clock.systemUTC().instant();
        Optional<CachedPolicy> cached = Optional.empty();
        if (sts.cacheDirectory().isEmpty()) {
            out.add("  cache: no control/mtastscache (policies are kept in memory only)");
        } else {
            cached = new PolicyDirectory(sts.cacheDirectory().get()).get(domain);
            String where = "  cache: control/mtastscache (" + sts.cacheDirectory().get() + "): ";
            if (cached.isEmpty()) {
                out.add(where + "no policy kept for " + domain);
            } else {
                CachedPolicy c = cached.get();
                Instant until = c.fetched().plusSeconds(c.policy().maxAge());
                out.add(where + "a policy kept for " + domain + ", id " + c.id() + ", fetched " + c.fetched() + ", "
                        + (c.freshAt(now) ? "fresh until " + until : "stale since " + until + " (not used)"));
                cached = cached.filter(p -> p.freshAt(now));
            }
        }
        PolicyMemory memory = new PolicyMemory();
        cached.ifPresent(c -> memory.put(domain, c));
        StsDiscovery.Found found;
        try {
            PolicyFetcher fetcher = new PolicyFetcher(
                    (target, timeout) -> context.connector().connect(target, Optional.empty(), timeout,
                            deadline.cancellation()),
                    context.tlsContexts().webPki(sts.caFile()), context.connectPort(HTTPS_PORT), connectTimeout,
                    deadline.bound(FETCH_LIMIT));
            found = new StsDiscovery(resolver, memory, Optional.empty(), fetcher, Clock.systemUTC()).discover(domain);
        } catch (TlsConfigException e) {
            out.add("problem: mta-sts: control/mtastscafile: no CA certificate in " + e.getMessage()
                    + ": every delivery would defer while MTA-STS is on (#4.3.0)");
            return;
        }
        StsOutcome outcome = found.outcome();
        if (outcome.policyType().equals("no-policy-found")) {
            out.add("  policy: none: a delivery goes as without MTA-STS");
            return;
        }
        if (outcome.mode().isEmpty()) {
            out.add("problem: mta-sts: the policy of " + domain + " cannot be had: " + outcome.resultType() + " ("
                    + outcome.reason() + "): a delivery would go as without a policy (RFC 8461 5.1), its K report"
                    + " noting it, and TLS reporting would count it");
            return;
        }
        Optional<CachedPolicy> kept = memory.get(domain);
        boolean fetched = kept.isPresent() && (cached.isEmpty() || kept.get() != cached.get());
        StsPolicy policy = kept.map(CachedPolicy::policy).orElseThrow();
        String mode = policy.mode().name().toLowerCase(Locale.ROOT);
        out.add("  policy: " + (fetched ? "fetched from https://mta-sts." + domain + "/.well-known/mta-sts.txt"
                : "the cached one (a delivery would not ask the policy host)") + ": mode " + mode + ", max_age "
                + policy.maxAge() + " s, mx " + (policy.mx().isEmpty() ? "(none)" : String.join(", ", policy.mx())));
        if (policy.mode() == StsMode.NONE) {
            out.add("  policy: mode none is no policy: a delivery goes as without MTA-STS");
            return;
        }
        boolean anyListed = false;
        for (String mx : mxHosts) {
            boolean listed = policy.allows(mx);
            anyListed |= listed;
            out.add("  " + mx + ": " + (listed ? "listed: TLS with a certificate valid for " + mx
                    + (policy.mode() == StsMode.ENFORCE ? " required" : " checked, not required (testing)")
                    : policy.mode() == StsMode.ENFORCE ? "not listed: a delivery would not connect to it"
                    : "not listed: used all the same (testing), and reported"));
        }
        if (!anyListed && policy.mode() == StsMode.ENFORCE && !mxHosts.isEmpty()) {
            out.add("problem: mta-sts: the enforce policy of " + domain + " lists none of its mail exchangers:"
                    + " every delivery would defer (#4.7.5)");
        }
    }
}
