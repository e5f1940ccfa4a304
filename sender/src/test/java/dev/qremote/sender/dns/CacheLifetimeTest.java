package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** How long answers live: RRset TTLs for positive answers, RFC 2308 section 5 for negative ones. */
class CacheLifetimeTest {
    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name HOST = Name.fromConstantString("host.example.test.");
    private static final Name ALIAS = Name.fromConstantString("alias.example.test.");

    private static Message response(int rcode) {
        Message m = Message.newQuery(Record.newRecord(HOST, Type.A, DClass.IN));
        m.getHeader().setRcode(rcode);
        return m;
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(ZONE, DClass.IN, ttl, Name.fromConstantString("ns.example.test."),
                Name.fromConstantString("hostmaster.example.test."), 1, 3600, 600, 86400, minimum);
    }

    private static ARecord a(long ttl) throws Exception {
        return new ARecord(HOST, DClass.IN, ttl, InetAddress.getByName("192.0.2.1"));
    }

    @Test
    void aPositiveAnswerLivesAsLongAsItsShortestRecord() throws Exception {
        Message m = response(Rcode.NOERROR);
        m.addRecord(new CNAMERecord(ALIAS, DClass.IN, 40, HOST), Section.ANSWER);
        m.addRecord(a(300), Section.ANSWER);
        assertThat(CacheLifetime.positive(m)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void aPositiveAnswerLivesAtMostADay() throws Exception {
        Message m = response(Rcode.NOERROR);
        m.addRecord(a(7 * 86400), Section.ANSWER);
        assertThat(CacheLifetime.positive(m)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void zeroTtlIsZero() throws Exception {
        Message m = response(Rcode.NOERROR);
        m.addRecord(a(0), Section.ANSWER);
        assertThat(CacheLifetime.positive(m)).isZero();
    }

    @Test
    void aNegativeAnswerLivesTheSmallerOfTheSoaTtlAndItsMinimum() {
        Message low = response(Rcode.NXDOMAIN);
        low.addRecord(soa(600, 120), Section.AUTHORITY);
        assertThat(CacheLifetime.negative(low)).contains(Duration.ofSeconds(120));
        Message lowTtl = response(Rcode.NOERROR);
        lowTtl.addRecord(soa(30, 900), Section.AUTHORITY);
        assertThat(CacheLifetime.negative(lowTtl)).contains(Duration.ofSeconds(30));
    }

    @Test
    void aNegativeAnswerWithoutSoaIsNotKept() {
        assertThat(CacheLifetime.negative(response(Rcode.NXDOMAIN))).isEmpty();
    }

    @Test
    void aNegativeAnswerLivesAtMostThreeHoursAndNoLongerThanTheCnameBeforeIt() {
        Message big = response(Rcode.NXDOMAIN);
        big.addRecord(soa(86400, 86400), Section.AUTHORITY);
        assertThat(CacheLifetime.negative(big)).contains(Duration.ofHours(3));
        Message viaAlias = response(Rcode.NXDOMAIN);
        viaAlias.addRecord(new CNAMERecord(ALIAS, DClass.IN, 10, HOST), Section.ANSWER);
        viaAlias.addRecord(soa(600, 600), Section.AUTHORITY);
        assertThat(CacheLifetime.negative(viaAlias)).contains(Duration.ofSeconds(10));
    }
}
