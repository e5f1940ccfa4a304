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
        Destinations found = lookup(dns, 1).forDomain("big.test");
        assertThat(((Destinations.Found) found).destinations()).hasSize(60);
        assertThat(dns.queries()).anyMatch(q -> q.tcp() && q.type() == Type.MX);
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
