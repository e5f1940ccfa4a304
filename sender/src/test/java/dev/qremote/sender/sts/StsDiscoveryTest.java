package dev.qremote.sender.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.MailExchanger;
import dev.qremote.sender.dns.Tlsa;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * RFC 8461 3.3 and 5.1 with the policy host unreachable (every connection refused, counted): when a cached
 * policy is used, when the host is asked, and what is left when it cannot answer.
 */
class StsDiscoveryTest {
    private static final Instant NOW = Instant.ofEpochSecond(2_000_000);
    private final AtomicInteger dials = new AtomicInteger();
    private final PolicyMemory memory = new PolicyMemory();

    private static DnsResolver txt(List<String> records) {
        return new DnsResolver() {
            @Override
            public DnsAnswer<MailExchanger> mx(String name) {
                return new DnsAnswer.NoData<>(false);
            }

            @Override
            public DnsAnswer<InetAddress> addresses(String name, boolean ipv6) {
                return ipv6 ? new DnsAnswer.NoData<>(false)
                        : new DnsAnswer.Found<>(List.of(InetAddress.getLoopbackAddress()), false);
            }

            @Override
            public DnsAnswer<Tlsa> tlsa(String name) {
                return new DnsAnswer.NoData<>(false);
            }

            @Override
            public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
                if (records == null) {
                    throw new DnsTemporaryException("SERVFAIL", null);
                }
                return records.isEmpty() ? new DnsAnswer.NoSuchName<>(false) : new DnsAnswer.Found<>(records, false);
            }
        };
    }

    private StsDiscovery.Found discover(List<String> records) {
        return discover(records, "a.test");
    }

    private StsDiscovery.Found discover(List<String> records, String domain) {
        PolicyFetcher down = new PolicyFetcher((target, timeout) -> {
            dials.incrementAndGet();
            throw new IOException("refused");
        }, null, 443, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        return new StsDiscovery(txt(records), memory, java.util.Optional.empty(), down,
                Clock.fixed(NOW, ZoneOffset.UTC)).discover(domain);
    }

    private void cache(String id, long fetchedSecondsAgo) throws StsPolicyException {
        memory.put("a.test", new CachedPolicy(id, StsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.a.test\n"
                + "max_age: 100\n"), NOW.minusSeconds(fetchedSecondsAgo)));
    }

    @Test
    void aFreshPolicyUnderTheSameIdIsUsedWithoutAsking() throws Exception {
        cache("one", 10);
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;"));
        assertThat(found.policy()).isPresent();
        assertThat(dials).hasValue(0);
    }

    @Test
    void aNewIdAsksTheHostAndAFreshPolicyStillHoldsWhenItIsDown() throws Exception {
        cache("one", 10);
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=two;"));
        assertThat(dials).hasValue(1);
        assertThat(found.policy()).isPresent();
        assertThat(found.outcome().resultType()).isEqualTo("success");
    }

    @Test
    void anExpiredPolicyIsNone() throws Exception {
        cache("one", 100);
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;"));
        assertThat(dials).hasValue(1);
        assertThat(found.policy()).isEmpty();
        assertThat(found.outcome().resultType()).isEqualTo("sts-policy-fetch-error");
    }

    @Test
    void aRecordGoneOrALookupFailedLeavesAFreshPolicyInForce() throws Exception {
        cache("one", 10);
        assertThat(discover(List.of()).policy()).isPresent();
        assertThat(discover(null).policy()).isPresent();
        assertThat(dials).hasValue(0);
    }

    @Test
    void twoRecordsAreNoPolicyAndTheHostIsNotAsked() {
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;", "v=STSv1; id=two;"));
        assertThat(found.policy()).isEmpty();
        assertThat(found.outcome().policyType()).isEqualTo("no-policy-found");
        assertThat(dials).hasValue(0);
    }

    @Test
    void aFinalDotOrCapitalsNameTheSameDomainAndItsCachedPolicy() throws Exception {
        // fresh8 F1: "a.test." missed the policy cached for "a.test" and went without one
        cache("one", 10);
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;"), "A.Test.");
        assertThat(found.policy()).isPresent();
        assertThat(found.outcome().domain()).isEqualTo("a.test");
        assertThat(dials).hasValue(0);
    }

    @Test
    void aFetchTimeInTheFutureIsNoCachedPolicy() throws Exception {
        // fresh8 F5b: a clock that was wrong at fetch time must not keep a policy fresh for years
        cache("one", -1_000);
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;"));
        assertThat(dials).hasValue(1);
        assertThat(found.policy()).isEmpty();
    }

    @Test
    void aFetchTimeAtTheEndOfTimeIsNoCachedPolicyAndNoCrash() throws Exception {
        // fresh8 F5b: fetched + max_age overflowed Instant, and the DateTimeException deferred every message
        memory.put("a.test", new CachedPolicy("one", StsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.a.test\n"
                + "max_age: 100\n"), Instant.MAX));
        StsDiscovery.Found found = discover(List.of("v=STSv1; id=one;"));
        assertThat(found.policy()).isEmpty();
        assertThat(dials).hasValue(1);
    }

    @Test
    void thePolicyDomainIsOneName() {
        assertThat(StsDiscovery.policyDomain("Example.TEST.")).isEqualTo("example.test");
        // "bücher.test" as UTF-8 bytes, one char per byte, as qmail passes the host
        assertThat(StsDiscovery.policyDomain("b\u00c3\u00bccher.test.")).isEqualTo("xn--bcher-kva.test");
    }
}
