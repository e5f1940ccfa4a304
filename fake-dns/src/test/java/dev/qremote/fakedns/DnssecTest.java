package dev.qremote.fakedns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** dnsjava's validating resolver, given only the exported trust anchor, judges every kind of zone. */
@ExtendWith(FakeDnsExtension.class)
class DnssecTest {
    private static final byte[] DIGEST = HexFormat.of().parseHex(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    private static SignedHierarchy tree(FakeDnsServer dns) {
        SignedHierarchy tree = SignedHierarchy.builder()
                .zone(FakeZone.of("test."), Trust.SECURE)
                .zone(FakeZone.of("secure.test.").mx("@", 10, "mx1").a("mx1", "192.0.2.1")
                        .tlsa("_25._tcp.mx1", 3, 1, 1, DIGEST), Trust.SECURE)
                .zone(FakeZone.of("insecure.test.").a("mx1", "192.0.2.2"), Trust.INSECURE)
                .zone(FakeZone.of("badsig.test.").a("mx1", "192.0.2.3"), Trust.BAD_SIGNATURE)
                .zone(FakeZone.of("expired.test.").a("mx1", "192.0.2.4"), Trust.EXPIRED_SIGNATURE)
                .zone(FakeZone.of("nokey.test.").a("mx1", "192.0.2.5"), Trust.MISSING_DNSKEY)
                .build();
        tree.serveOn(dns);
        return tree;
    }

    private static Message validate(FakeDnsServer dns, SignedHierarchy tree, String name, int type) throws Exception {
        SimpleResolver upstream = new SimpleResolver(dns.address());
        upstream.setTimeout(Duration.ofSeconds(2));
        ValidatingResolver resolver = new ValidatingResolver(upstream);
        resolver.loadTrustAnchors(new ByteArrayInputStream(tree.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    @Test
    void signedAnswersValidate(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = tree(dns);
        Message mx = validate(dns, tree, "secure.test.", Type.MX);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getHeader().getFlag(Flags.AD)).isTrue();
        Message tlsa = validate(dns, tree, "_25._tcp.mx1.secure.test.", Type.TLSA);
        assertThat(tlsa.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(tlsa.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.TLSA)
                .singleElement().isInstanceOfSatisfying(TLSARecord.class,
                t -> assertThat(t.getCertificateAssociationData()).isEqualTo(DIGEST));
    }

    @Test
    void denialOfExistenceValidates(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = tree(dns);
        Message nx = validate(dns, tree, "missing.secure.test.", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getHeader().getFlag(Flags.AD)).isTrue();
        Message nodata = validate(dns, tree, "_25._tcp.mx1.secure.test.", Type.A);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void anUnsignedDelegationIsInsecure(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = tree(dns);
        Message insecure = validate(dns, tree, "mx1.insecure.test.", Type.A);
        assertThat(insecure.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(insecure.getSection(Section.ANSWER)).hasSize(1);
        assertThat(insecure.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void brokenZonesAreBogus(FakeDnsServer dns) throws Exception {
        SignedHierarchy tree = tree(dns);
        for (String name : new String[] {"mx1.badsig.test.", "mx1.expired.test.", "mx1.nokey.test."}) {
            Message bogus = validate(dns, tree, name, Type.A);
            assertThat(bogus.getRcode()).as(name).isEqualTo(Rcode.SERVFAIL);
            assertThat(bogus.getSection(Section.ANSWER)).as(name).isEmpty();
        }
    }

    @Test
    void signaturesOnlyWithTheDoBit(FakeDnsServer dns) throws Exception {
        tree(dns);
        SimpleResolver plain = new SimpleResolver(dns.address());
        Message withoutDo = plain.send(Message.newQuery(Record.newRecord(Name.fromString("secure.test."), Type.MX, DClass.IN)));
        assertThat(withoutDo.getSection(Section.ANSWER)).extracting(Record::getType).containsOnly(Type.MX);
        plain.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, java.util.List.of());
        Message withDo = plain.send(Message.newQuery(Record.newRecord(Name.fromString("secure.test."), Type.MX, DClass.IN)));
        assertThat(withDo.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.MX, Type.RRSIG);
        assertThat(withDo.getHeader().getFlag(Flags.AD)).as("an authoritative server never sets AD").isFalse();
    }
}
