package dev.qremote.sender.dns;

import dev.qremote.sender.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakedns.Fault;
import dev.qremote.fakedns.Query;
import dev.qremote.fakedns.SignedHierarchy;
import dev.qremote.fakedns.Trust;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The shared DNS service over real UDP against the fake DNS server: its cache, its deadlines, its validator. */
@ExtendWith(FakeDnsExtension.class)
class DnsServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] DIGEST = HexFormat.of().parseHex(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    private final MutableClock clock = new MutableClock(Instant.now());

    private DnsService service(FakeDnsServer dns, DnssecMode mode, String anchors, Clock time) {
        return new DnsService(new DnsSettings(Optional.of(dns.address()), TIMEOUT, mode, anchors), time);
    }

    private DnsService plain(FakeDnsServer dns) {
        return service(dns, DnssecMode.OFF, "", clock);
    }

    /** One delivery's view, as the engine takes it. */
    private static DnsResolver delivery(DnsService service) {
        return service.resolver(Deadline.none());
    }

    private static long asked(FakeDnsServer dns, String name, int type) {
        Name wanted = Name.fromConstantString(name.endsWith(".") ? name : name + ".");
        return dns.queries().stream().filter(q -> q.name().equals(wanted) && q.type() == type).count();
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCache(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d").a("mx.d", "192.0.2.1"));
        DnsService service = plain(dns);
        DnsAnswer<MailExchanger> first = delivery(service).mx("d.test");
        DnsAnswer<MailExchanger> second = delivery(service).mx("D.Test.");
        assertThat(first).isEqualTo(new DnsAnswer.Found<>(List.of(new MailExchanger(10, "mx.d.test")), false));
        assertThat(second).isEqualTo(first);
        assertThat(asked(dns, "d.test", Type.MX)).isEqualTo(1);
        assertThat(delivery(service).addresses("d.test", false)).isInstanceOf(DnsAnswer.NoData.class);
        assertThat(asked(dns, "d.test", Type.A)).as("another type is another question").isEqualTo(1);
    }

    @Test
    void anAnswerIsAskedAgainWhenItsTtlHasRunOut(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").add(new ARecord(Name.fromConstantString("short.test."), DClass.IN, 60,
                InetAddress.getByName("192.0.2.9"))));
        DnsService service = plain(dns);
        delivery(service).addresses("short.test", false);
        clock.advance(Duration.ofSeconds(59));
        delivery(service).addresses("short.test", false);
        assertThat(asked(dns, "short.test", Type.A)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        DnsAnswer<InetAddress> again = delivery(service).addresses("short.test", false);
        assertThat(asked(dns, "short.test", Type.A)).isEqualTo(2);
        assertThat(again).isEqualTo(new DnsAnswer.Found<>(List.of(InetAddress.getByName("192.0.2.9")), false));
    }

    @Test
    void nxdomainAndNodataAreKeptAsTheSoaSays(FakeDnsServer dns) throws Exception {
        // RFC 2308 section 5: the smaller of the SOA's own TTL and its MINIMUM field
        dns.zone(FakeZone.parse("min.test.", "@ 600 IN SOA ns hostmaster 1 3600 600 86400 120\n"
                + "@ IN NS ns\nhost IN A 192.0.2.1\n"));
        dns.zone(FakeZone.parse("ttl.test.", "@ 30 IN SOA ns hostmaster 1 3600 600 86400 900\n"
                + "@ IN NS ns\nhost IN A 192.0.2.2\n"));
        DnsService service = plain(dns);
        for (int i = 0; i < 2; i++) {
            assertThat(delivery(service).mx("gone.min.test")).isEqualTo(new DnsAnswer.NoSuchName<>(false));
            assertThat(delivery(service).mx("host.min.test")).isEqualTo(new DnsAnswer.NoData<>(false));
            assertThat(delivery(service).mx("gone.ttl.test")).isEqualTo(new DnsAnswer.NoSuchName<>(false));
            assertThat(delivery(service).mx("host.ttl.test")).isEqualTo(new DnsAnswer.NoData<>(false));
        }
        clock.advance(Duration.ofSeconds(29));
        delivery(service).mx("gone.ttl.test");
        delivery(service).mx("host.ttl.test");
        assertThat(List.of(asked(dns, "gone.min.test", Type.MX), asked(dns, "host.min.test", Type.MX),
                asked(dns, "gone.ttl.test", Type.MX), asked(dns, "host.ttl.test", Type.MX))).containsOnly(1L);
        clock.advance(Duration.ofSeconds(1)); // 30 s: the SOA's TTL is up, its MINIMUM (900) is not
        delivery(service).mx("gone.ttl.test");
        delivery(service).mx("host.ttl.test");
        assertThat(asked(dns, "gone.ttl.test", Type.MX)).isEqualTo(2);
        assertThat(asked(dns, "host.ttl.test", Type.MX)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(89)); // 119 s
        delivery(service).mx("gone.min.test");
        delivery(service).mx("host.min.test");
        assertThat(asked(dns, "gone.min.test", Type.MX)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1)); // 120 s: MINIMUM is up, the SOA's TTL (600) is not
        delivery(service).mx("gone.min.test");
        delivery(service).mx("host.min.test");
        assertThat(asked(dns, "gone.min.test", Type.MX)).isEqualTo(2);
        assertThat(asked(dns, "host.min.test", Type.MX)).isEqualTo(2);
    }

    @Test
    void servfailIsNotKept(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        dns.fault("d.test", Type.MX, Fault.SERVFAIL);
        DnsService service = plain(dns);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> delivery(service).mx("d.test")).isInstanceOf(DnsTemporaryException.class)
                    .hasMessage("SERVFAIL for d.test MX");
        }
        assertThat(asked(dns, "d.test", Type.MX)).isEqualTo(2);
        dns.reset();
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        assertThat(delivery(service).mx("d.test")).isInstanceOf(DnsAnswer.Found.class);
    }

    @Test
    void aQuestionWithoutAnswerIsNotKeptAndWaitsOnlyTheTimeout(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        dns.fault("d.test", Type.MX, Fault.DROP);
        DnsService service = new DnsService(new DnsSettings(Optional.of(dns.address()), Duration.ofMillis(300),
                DnssecMode.OFF, ""), clock);
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> delivery(service).mx("d.test")).isInstanceOf(DnsTemporaryException.class)
                    .hasMessage("no answer for d.test MX");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(asked(dns, "d.test", Type.MX)).as("asked again by the second delivery").isGreaterThanOrEqualTo(2);
        assertThat(service.cached()).isZero();
    }

    @Test
    void aDeliveryWaitingForAnotherDeliverysQuestionStillStopsAtItsOwnDeadline(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        dns.fault("d.test", Type.MX, Fault.SLOW); // the honest answer, two seconds late
        DnsService service = new DnsService(new DnsSettings(Optional.of(dns.address()), Duration.ofSeconds(5),
                DnssecMode.OFF, ""), clock);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DnsAnswer<MailExchanger>> patient = pool.submit(() -> delivery(service).mx("d.test"));
            while (asked(dns, "d.test", Type.MX) == 0) {
                Thread.sleep(5);
            }
            DnsResolver hurried = service.resolver(Deadline.after(Clock.systemUTC(), Duration.ofMillis(300)));
            long start = System.nanoTime();
            assertThatThrownBy(() -> hurried.mx("d.test")).isInstanceOf(DnsTemporaryException.class)
                    .hasMessage("no answer for d.test MX");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            assertThat(delivery(service).mx("d.test")).as("joins the question still on its way")
                    .isInstanceOf(DnsAnswer.Found.class);
            assertThat(patient.get()).isInstanceOf(DnsAnswer.Found.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(delivery(service).mx("d.test")).isInstanceOf(DnsAnswer.Found.class);
        assertThat(asked(dns, "d.test", Type.MX)).as("the hurried one sent nothing of its own").isEqualTo(1);
    }

    @Test
    void noQuestionIsAnsweredOnceTheDeadlineHasPassedNotEvenFromTheCache(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("test.").mx("d", 10, "mx.d"));
        DnsService service = plain(dns);
        delivery(service).mx("d.test");
        DnsResolver late = service.resolver(Deadline.after(clock, Duration.ofSeconds(5)));
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> late.mx("d.test")).isInstanceOf(DnsTemporaryException.class)
                .hasMessage("delivery deadline passed before d.test MX");
        assertThat(asked(dns, "d.test", Type.MX)).isEqualTo(1);
    }

    @Test
    void authenticAnswersStayAuthenticAndOthersDoNot(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = SignedHierarchy.builder()
                .zone(FakeZone.of("test."), Trust.SECURE)
                .zone(FakeZone.of("secure.test.").mx("@", 10, "mx1").a("mx1", "192.0.2.1"), Trust.SECURE)
                .zone(FakeZone.of("insecure.test.").mx("@", 10, "mx1").a("mx1", "192.0.2.2"), Trust.INSECURE)
                .build();
        tree.serveOn(dns);
        dns.actAsValidatingResolver(true);
        DnsService trusting = service(dns, DnssecMode.TRUST_AD, "", clock);
        DnsService off = plain(dns);
        for (int i = 0; i < 2; i++) {
            assertThat(delivery(trusting).mx("secure.test").authentic()).isTrue();
            assertThat(delivery(trusting).mx("missing.secure.test").authentic()).isTrue();
            assertThat(delivery(trusting).mx("insecure.test").authentic()).isFalse();
            assertThat(delivery(off).mx("secure.test").authentic()).as("another service, another cache").isFalse();
        }
        assertThat(asked(dns, "secure.test", Type.MX)).as("once by each service").isEqualTo(2);
        assertThat(asked(dns, "missing.secure.test", Type.MX)).isEqualTo(1);
        assertThat(asked(dns, "insecure.test", Type.MX)).isEqualTo(1);
    }

    @Test
    void validatedKeysAreFetchedOnceAcrossDeliveries(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = SignedHierarchy.builder()
                .zone(FakeZone.of("test."), Trust.SECURE)
                .zone(FakeZone.of("secure.test.").mx("@", 10, "mx1").a("mx1", "192.0.2.1").a("mx2", "192.0.2.2")
                        .tlsa("_25._tcp.mx1", 3, 1, 1, DIGEST), Trust.SECURE)
                .zone(FakeZone.of("badsig.test.").a("mx1", "192.0.2.3"), Trust.BAD_SIGNATURE)
                .build();
        tree.serveOn(dns);
        DnsService service = service(dns, DnssecMode.VALIDATE, tree.trustAnchor(), Clock.systemUTC());
        DnsResolver first = delivery(service);
        assertThat(first.mx("secure.test").authentic()).isTrue();
        assertThat(first.addresses("mx1.secure.test", false).authentic()).isTrue();
        DnsResolver second = delivery(service);
        assertThat(second.addresses("mx2.secure.test", false).authentic()).isTrue();
        DnsAnswer<Tlsa> tlsa = second.tlsa("_25._tcp.mx1.secure.test");
        assertThat(tlsa.authentic()).isTrue();
        assertThat(((DnsAnswer.Found<Tlsa>) tlsa).records()).singleElement()
                .satisfies(t -> assertThat(t.data()).isEqualTo(DIGEST));
        assertThat(second.mx("nothing.secure.test")).isEqualTo(new DnsAnswer.NoSuchName<>(true));
        for (String zone : List.of(".", "test.", "secure.test.")) {
            assertThat(asked(dns, zone, Type.DNSKEY)).as("DNSKEY " + zone).isEqualTo(1);
        }
        assertThat(asked(dns, "test.", Type.DS)).isLessThanOrEqualTo(1);
        assertThat(asked(dns, "secure.test.", Type.DS)).isLessThanOrEqualTo(1);
        // a bogus answer is a failure, and failures are not kept
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> delivery(service).addresses("mx1.badsig.test", false))
                    .isInstanceOf(DnsTemporaryException.class).hasMessageStartingWith("SERVFAIL");
        }
        assertThat(asked(dns, "mx1.badsig.test", Type.A)).isEqualTo(2);
    }

    @Test
    void sixtyFourThreadsAskingAtOnceGetTheirOwnAnswersAndShareOneQuestion(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("test.").mx("d", 10, "mx.d").a("mx.d", "192.0.2.250");
        for (int i = 0; i < 64; i++) {
            zone.a("h" + i + ".d", "192.0.2." + i);
        }
        dns.zone(zone);
        DnsService service = plain(dns);
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    DnsResolver mine = service.resolver(Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30)));
                    ready.countDown();
                    go.await();
                    DnsAnswer<MailExchanger> mx = mine.mx("d.test");
                    DnsAnswer<InetAddress> own = mine.addresses("h" + n + ".d.test", false);
                    return ((DnsAnswer.Found<MailExchanger>) mx).records().get(0).host() + " "
                            + ((DnsAnswer.Found<InetAddress>) own).records().get(0).getHostAddress();
                }));
            }
            ready.await();
            go.countDown();
            for (int i = 0; i < threads; i++) {
                assertThat(results.get(i).get()).isEqualTo("mx.d.test 192.0.2." + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(asked(dns, "d.test", Type.MX)).as("asked once, waited for by all").isEqualTo(1);
        for (int i = 0; i < threads; i++) {
            assertThat(asked(dns, "h" + i + ".d.test", Type.A)).isEqualTo(1);
        }
        List<Query> all = dns.queries();
        assertThat(all).hasSize(threads + 1);
    }

    @Test
    void servicesAreSharedWhileTheSettingsStayTheSame(FakeDnsServer dns) {
        DnsServices services = new DnsServices(clock);
        DnsSettings settings = new DnsSettings(Optional.of(dns.address()), TIMEOUT, DnssecMode.OFF, "");
        DnsService one = services.service(settings);
        assertThat(services.service(new DnsSettings(Optional.of(dns.address()), TIMEOUT, DnssecMode.OFF, "")))
                .isSameAs(one);
        assertThat(services.service(new DnsSettings(Optional.of(dns.address()), Duration.ofSeconds(3),
                DnssecMode.OFF, ""))).isNotSameAs(one);
        assertThat(services.service(new DnsSettings(Optional.of(dns.address()), TIMEOUT, DnssecMode.TRUST_AD, "")))
                .isNotSameAs(one);
        assertThat(services.service(new DnsSettings(Optional.empty(), TIMEOUT, DnssecMode.OFF, ""))).isNotSameAs(one);
        assertThat(services.service(settings)).isSameAs(one);
    }
}
