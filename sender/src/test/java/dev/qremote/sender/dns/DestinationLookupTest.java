package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakedns.Fault;
import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

/** DNS classification over real UDP and TCP against the fake DNS server. */
@ExtendWith(FakeDnsExtension.class)
class DestinationLookupTest {

    private static DestinationLookup lookup(FakeDnsServer dns, long seed) {
        return new DestinationLookup(DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2)), new SplittableRandom(seed));
    }

    @Test
    void mxRecordsInPreferenceOrderWithTiesShuffled(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.").mx("d", 20, "c.d").mx("d", 10, "a.d").mx("d", 10, "b.d")
                .a("a.d", "192.0.2.1").a("b.d", "192.0.2.2").a("c.d", "192.0.2.3").aaaa("c.d", "2001:db8::3");
        dns.zone(zone);
        Set<String> firstTwo = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Destinations found = lookup(dns, seed).forDomain("d.test");
            List<Destination> list = ((Destinations.Found) found).destinations();
            assertThat(list).extracting(Destination::preference).containsExactly(10, 10, 20, 20);
            assertThat(list.get(2).address().getHostAddress()).isEqualTo("192.0.2.3");
            firstTwo.add(list.get(0).host());
        }
        assertThat(firstTwo).as("equal preferences come in both orders").containsExactlyInAnyOrder("a.d.test", "b.d.test");
    }

    @Test
    void classification(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").nullMx("null").a("implicit", "192.0.2.4").txt("nothing", "x")
                .mx("dangling", 10, "gone.dangling"));
        assertThat(lookup(dns, 1).forDomain("nowhere.test")).isEqualTo(new Destinations.NoSuchHost("nowhere.test"));
        assertThat(lookup(dns, 1).forDomain("null.test")).isEqualTo(new Destinations.NullMx("null.test"));
        assertThat(lookup(dns, 1).forDomain("nothing.test")).isEqualTo(new Destinations.NoAddress());
        assertThat(lookup(dns, 1).forDomain("dangling.test")).isEqualTo(new Destinations.NoAddress());
        assertThat(((Destinations.Found) lookup(dns, 1).forDomain("implicit.test")).destinations())
                .singleElement().extracting(Destination::preference).isEqualTo(0);
    }

    @Test
    void failuresAreTemporary(FakeDnsServer dns) {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        dns.fault("d.test", Type.MX, Fault.SERVFAIL);
        assertThatThrownBy(() -> lookup(dns, 1).forDomain("d.test")).isInstanceOf(DnsTemporaryException.class);
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 60; i++) {
            zone.mx("big", i, "mx" + i + ".big");
            zone.a("mx" + i + ".big", "192.0.2." + (i + 1));
        }
        dns.zone(zone);
        Destinations found = new DestinationLookup(DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2)),
                new SplittableRandom(1), new LookupLimits(60, 8, 60)).forDomain("big.test");
        assertThat(((Destinations.Found) found).destinations()).hasSize(60);
        assertThat(dns.queries()).anyMatch(q -> q.tcp() && q.type() == Type.MX);
    }

    @Test
    void onlyTheBestMxHostsAreLookedUp(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 30; i++) {
            zone.mx("d", 100 - i, "mx" + i + ".d").a("mx" + i + ".d", "192.0.2." + (i + 1));
        }
        dns.zone(zone);
        Destinations found = new DestinationLookup(DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2)),
                new SplittableRandom(1), new LookupLimits(3, 8, 20)).forDomain("d.test");
        assertThat(((Destinations.Found) found).destinations()).extracting(Destination::preference)
                .containsExactly(71, 72, 73);
        assertThat(dns.queries()).filteredOn(q -> q.type() == Type.A).hasSize(3);
    }

    @Test
    void addressesAreCappedPerHostAndInAll(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.").mx("d", 10, "a.d").mx("d", 20, "b.d").mx("d", 30, "c.d");
        for (int i = 1; i <= 6; i++) {
            zone.a("a.d", "192.0.2." + i).a("b.d", "198.51.100." + i).a("c.d", "203.0.113." + i);
        }
        zone.aaaa("a.d", "2001:db8::1").aaaa("b.d", "2001:db8::2");
        dns.zone(zone);
        List<Destination> found = ((Destinations.Found) new DestinationLookup(
                DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2)), new SplittableRandom(1),
                new LookupLimits(10, 4, 6)).forDomain("d.test")).destinations();
        assertThat(found).extracting(Destination::host)
                .containsExactly("a.d.test", "a.d.test", "a.d.test", "a.d.test", "b.d.test", "b.d.test");
        assertThat(found).allMatch(d -> d.address().getAddress().length == 4, "IPv4 first");
        assertThat(dns.queries()).as("no AAAA question once IPv4 filled a host, none for c.d")
                .noneMatch(q -> q.type() == Type.AAAA || q.name().toString().startsWith("c.d"));
    }

    @Test
    void aHostWithFewAddressesGetsItsIpv6Ones(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "a.d").a("a.d", "192.0.2.1").aaaa("a.d", "2001:db8::1")
                .aaaa("a.d", "2001:db8::2"));
        List<Destination> found = ((Destinations.Found) new DestinationLookup(
                DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2)), new SplittableRandom(1),
                new LookupLimits(10, 2, 20)).forDomain("d.test")).destinations();
        assertThat(found).extracting(d -> d.address().getHostAddress())
                .containsExactly("192.0.2.1", "2001:db8:0:0:0:0:0:1");
    }

    @Test
    void oneAnswerGivesAtMostMaxRecords(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 3000; i++) {
            zone.a("pool", "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
        }
        dns.zone(zone);
        DnsAnswer<java.net.InetAddress> answer = DnsjavaResolver.at(dns.address(), Duration.ofSeconds(5))
                .addresses("pool.test", false);
        assertThat(((DnsAnswer.Found<java.net.InetAddress>) answer).records()).hasSize(DnsjavaResolver.MAX_RECORDS);
        assertThat(dns.queries()).anyMatch(q -> q.tcp());
    }

    @Test
    void aLargeMxAnswerKeepsItsBestPreferences(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 300; i++) {
            zone.mx("d", 1000 - i, "mx" + i + ".d"); // the best come last in the answer
        }
        dns.zone(zone);
        DnsAnswer<MailExchanger> answer = DnsjavaResolver.at(dns.address(), Duration.ofSeconds(5)).mx("d.test");
        assertThat(((DnsAnswer.Found<MailExchanger>) answer).records()).hasSize(DnsjavaResolver.MAX_RECORDS)
                .extracting(MailExchanger::preference).allMatch(p -> p <= 700 + DnsjavaResolver.MAX_RECORDS);
    }

    @Test
    void thousandsOfMxHostsWithThousandsOfAddressesStayWithinTheDefaultLimits(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 2500; i++) {
            zone.mx("big", 10, "mx" + i + ".big").cname("mx" + i + ".big", "pool.big");
        }
        for (int i = 0; i < 3500; i++) {
            zone.a("pool.big", "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
        }
        dns.zone(zone);
        List<Destination> found = ((Destinations.Found) lookup(dns, 1).forDomain("big.test")).destinations();
        LookupLimits limits = LookupLimits.DEFAULT;
        assertThat(found).hasSize(limits.addresses());
        assertThat(found.stream().map(Destination::host).distinct().count())
                .isEqualTo((long) (limits.addresses() + limits.addressesPerHost() - 1) / limits.addressesPerHost());
        assertThat(dns.queries()).hasSizeLessThanOrEqualTo(2 * (1 + limits.exchangers()));
    }

    @Test
    void anMxTargetThatIsADottedIpv4AddressIsThatAddress(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "192.0.2.7.").mx("d", 20, "mx.d").a("mx.d", "192.0.2.8"));
        List<Destination> found = ((Destinations.Found) lookup(dns, 1).forDomain("d.test")).destinations();
        assertThat(found).extracting(d -> d.address().getHostAddress()).containsExactly("192.0.2.7", "192.0.2.8");
        assertThat(dns.queries()).noneMatch(q -> q.name().toString().startsWith("192."));
        assertThat(((Destinations.Found) lookup(dns, 1).forDomain("192.0.2.9")).destinations())
                .singleElement().extracting(d -> d.address().getHostAddress()).isEqualTo("192.0.2.9");
        assertThat(IpLiteral.dottedQuad("192.0.2.256")).isEmpty();
        assertThat(IpLiteral.dottedQuad("1.2.3")).isEmpty();
        assertThat(IpLiteral.dottedQuad("1.2.3.4.5")).isEmpty();
    }

    @Test
    void unansweredQuestionsEndAtTheDeadline(FakeDnsServer dns) {
        FakeZone zone = FakeZone.of("test.");
        for (int i = 0; i < 200; i++) {
            zone.mx("d", 10, "mx" + i + ".d");
            dns.fault("mx" + i + ".d.test", Type.ANY, Fault.DROP);
        }
        dns.zone(zone);
        Deadline deadline = Deadline.after(java.time.Clock.systemUTC(), Duration.ofSeconds(2));
        long start = System.nanoTime();
        assertThatThrownBy(() -> new DestinationLookup(DnsjavaResolver.at(dns.address(), Duration.ofSeconds(30),
                deadline), new SplittableRandom(1)).forDomain("d.test")).isInstanceOf(DnsTemporaryException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(deadline.expired()).isTrue();
        assertThat(dns.queries()).as("one address question waited out the deadline; none was asked after it")
                .filteredOn(q -> q.type() == Type.A || q.type() == Type.AAAA).hasSize(1);
    }

    @Test
    void noQuestionIsAskedAfterTheDeadline(FakeDnsServer dns) {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d").a("mx.d", "192.0.2.1"));
        Deadline passed = new Deadline(java.time.Clock.systemUTC(), java.time.Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> new DestinationLookup(DnsjavaResolver.at(dns.address(), Duration.ofSeconds(2),
                passed), new SplittableRandom(1)).forDomain("d.test")).isInstanceOf(DnsTemporaryException.class);
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void addressLiteralsNeedNoDns(FakeDnsServer dns) throws Exception {
        assertThat(((Destinations.Found) lookup(dns, 1).forDomain("[192.0.2.9]")).destinations())
                .singleElement().extracting(d -> d.address().getHostAddress()).isEqualTo("192.0.2.9");
        assertThat(IpLiteral.parse("[IPv6:2001:db8::1]")).isPresent();
        assertThat(IpLiteral.parse("[300.1.1.1]")).isEmpty();
        assertThat(IpLiteral.parse("[example.test]")).isEmpty();
        assertThat(dns.queries()).isEmpty();
    }
}
