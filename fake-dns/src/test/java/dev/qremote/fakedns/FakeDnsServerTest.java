package dev.qremote.fakedns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Real queries over UDP and TCP with dnsjava's SimpleResolver. */
@ExtendWith(FakeDnsExtension.class)
class FakeDnsServerTest {

    private static Message ask(FakeDnsServer dns, String name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(1));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    @Test
    void answersOverUdpAndTcpWithAuthority(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test.").a("mx1", "192.0.2.1").mx("@", 10, "mx1"));
        for (boolean tcp : new boolean[] {false, true}) {
            Message m = ask(dns, "mx1.example.test.", Type.A, tcp);
            assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(m.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.1"));
        }
        assertThat(dns.queries()).extracting(Query::tcp).containsExactly(false, true);
    }

    @Test
    void logsEachAnswerWithItsFlags(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test.").a("mx1", "192.0.2.1"));
        ask(dns, "mx1.example.test.", Type.A, false);
        ask(dns, "missing.example.test.", Type.A, false);
        dns.fault("slow.example.test", Type.A, Fault.DROP);
        assertThatThrownBy(() -> ask(dns, "slow.example.test.", Type.A, false)).isInstanceOf(IOException.class);
        assertThat(dns.exchanges()).extracting(Exchange::rcode).containsExactly("NOERROR", "NXDOMAIN", "no answer");
        Exchange first = dns.exchanges().get(0);
        assertThat(first.answers()).containsExactly("A 192.0.2.1");
        assertThat(first.authoritative()).isTrue();
        assertThat(first.authentic()).as("no AD bit from an authoritative server").isFalse();
    }

    @Test
    void nxdomainAndNodataCarryTheSoa(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test.").a("host", "192.0.2.1").a("deep.empty", "192.0.2.2"));
        Message nx = ask(dns, "missing.example.test.", Type.A, false);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        Message nodata = ask(dns, "host.example.test.", Type.MX, false);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(ask(dns, "empty.example.test.", Type.A, false).getRcode())
                .as("an empty non-terminal exists").isEqualTo(Rcode.NOERROR);
    }

    @Test
    void cnameChainsAreFollowedAndLoopsEnd(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test.").cname("a", "b").cname("b", "c").a("c", "192.0.2.3")
                .cname("loop1", "loop2").cname("loop2", "loop1"));
        Message chain = ask(dns, "a.example.test.", Type.A, false);
        assertThat(chain.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME, Type.A);
        Message loop = ask(dns, "loop1.example.test.", Type.A, false);
        assertThat(loop.getSection(Section.ANSWER)).hasSize(2).allMatch(r -> r instanceof CNAMERecord);
    }

    @Test
    void namesOutsideEveryZoneAreRefused(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test."));
        assertThat(ask(dns, "example.org.", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void largeAnswersAreTruncatedOverUdp(FakeDnsServer dns) throws Exception {
        FakeZone zone = FakeZone.of("example.test.");
        for (int i = 0; i < 80; i++) {
            zone.txt("big", "text record number " + i + " with some padding to make it long");
        }
        dns.zone(zone);
        Message query = Message.newQuery(Record.newRecord(Name.fromString("big.example.test."), Type.TXT, DClass.IN));
        byte[] wire = dns.handle(query.toWire(), false).orElseThrow();
        Message truncated = new Message(wire);
        assertThat(wire.length).isLessThanOrEqualTo(512);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(ask(dns, "big.example.test.", Type.TXT, true).getSection(Section.ANSWER)).hasSize(80);
        assertThat(ask(dns, "big.example.test.", Type.TXT, false).getSection(Section.ANSWER))
                .as("SimpleResolver retries over TCP").hasSize(80);
    }

    @Test
    void faults(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test.").a("a", "192.0.2.1").mx("a", 10, "a"));
        dns.fault("a.example.test", Type.A, Fault.SERVFAIL);
        assertThat(ask(dns, "a.example.test.", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask(dns, "a.example.test.", Type.MX, false).getRcode()).as("only A fails").isEqualTo(Rcode.NOERROR);
        dns.fault("a.example.test", Type.ANY, Fault.REFUSED);
        assertThat(ask(dns, "a.example.test.", Type.MX, false).getRcode()).isEqualTo(Rcode.REFUSED);
        dns.fault("a.example.test", Type.MX, Fault.DROP);
        assertThatThrownBy(() -> ask(dns, "a.example.test.", Type.MX, false)).isInstanceOf(IOException.class);
        dns.fault("a.example.test", Type.MX, Fault.TRUNCATE);
        Message viaTcp = ask(dns, "a.example.test.", Type.MX, false);
        assertThat(viaTcp.getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.queries()).anyMatch(Query::tcp);
    }

    @Test
    void zonesFromMasterFileText() throws Exception {
        FakeZone zone = FakeZone.parse("example.test.", String.join("\n",
                "$TTL 60",
                "@ IN SOA ns hostmaster 1 3600 600 86400 60",
                "@ IN MX 10 mx1",
                "mx1 IN A 192.0.2.1",
                "mx1 IN AAAA 2001:db8::1", ""));
        assertThat(zone.records()).extracting(Record::getType)
                .containsExactly(Type.SOA, Type.MX, Type.A, Type.AAAA);
        assertThatThrownBy(() -> FakeZone.parse("x.test.", "@ IN A 192.0.2.1\n")).hasMessageContaining("no SOA");
        assertThat(Arrays.asList(Type.A, Type.MX)).isNotEmpty();
    }

    @Test
    void ednsIsEchoedAndAnUnknownVersionIsBadvers(FakeDnsServer dns) throws Exception {
        dns.zone(FakeZone.of("example.test."));
        Message nx = ask(dns, "missing.example.test.", Type.A, false);
        assertThat(nx.getOPT()).as("NXDOMAIN keeps EDNS").isNotNull();
        Message query = Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
        query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Message reply = new Message(dns.handle(query.toWire(), false).orElseThrow());
        assertThat(reply.getRcode()).isEqualTo(Rcode.BADVERS);
    }

    /**
     * The interop bench starts each scenario's server on port 53 right after the last one closed: close()
     * returns once the port is free again (the JDK closes a socket another thread waits on only when that
     * thread has left, so the port used to stay taken for a moment).
     */
    @Test
    void theSamePortIsFreeAgainOnceClosed() throws Exception {
        FakeDnsServer first = FakeDnsServer.start(java.net.InetAddress.getLoopbackAddress(), 0);
        int port = first.address().getPort();
        first.close();
        for (int i = 0; i < 200; i++) {
            FakeDnsServer again = FakeDnsServer.start(java.net.InetAddress.getLoopbackAddress(), port);
            again.zone(FakeZone.of("example.test.").a("mx1", "192.0.2.1"));
            assertThat(ask(again, "mx1.example.test.", Type.A, i % 2 == 0).getSection(Section.ANSWER)).hasSize(1);
            again.close();
        }
    }
}
