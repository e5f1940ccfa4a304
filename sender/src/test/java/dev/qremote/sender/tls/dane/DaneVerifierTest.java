package dev.qremote.sender.tls.dane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.TestCertificates;
import dev.qremote.sender.dns.Tlsa;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DANE as a pure function: records, chain, names in; an outcome out. */
class DaneVerifierTest {
    private static final TestCertificates CA = TestCertificates.create(KeyKind.RSA);
    private static final IssuedCertificate VIA_INTERMEDIATE = CA.leafViaIntermediate("mx.example.test");
    private static final Date NOW = new Date();

    private static Tlsa record(IssuedCertificate c, int usage, int selector, int matching) {
        return new Tlsa(usage, selector, matching, c.tlsaData(usage, selector, matching));
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneEeMatchesTheServerCertificate(int selector, int matching) {
        assertThat(DaneVerifier.verify(List.of(record(VIA_INTERMEDIATE, 3, selector, matching)), VIA_INTERMEDIATE.chain(),
                List.of("mx.example.test"), NOW)).isEqualTo(DaneOutcome.MATCHED_END_ENTITY);
    }

    @Test
    void daneEeIgnoresNamesAndDates() {
        IssuedCertificate expired = CA.expired("someone.else");
        assertThat(DaneVerifier.verify(List.of(record(expired, 3, 1, 1)), expired.chain(), List.of("mx.example.test"), NOW))
                .isEqualTo(DaneOutcome.MATCHED_END_ENTITY);
    }

    @Test
    void daneTaAnchorsThePathAndChecksTheName() {
        Tlsa ta = record(VIA_INTERMEDIATE, 2, 0, 1);
        assertThat(DaneVerifier.verify(List.of(ta), VIA_INTERMEDIATE.chain(), List.of("mx.example.test"), NOW))
                .isEqualTo(DaneOutcome.MATCHED_TRUST_ANCHOR);
        assertThat(DaneVerifier.verify(List.of(ta), VIA_INTERMEDIATE.chain(), List.of("other.test"), NOW))
                .isEqualTo(DaneOutcome.NO_MATCH);
    }

    @Test
    void daneTaChecksDatesBelowTheAnchor() {
        Tlsa ta = record(VIA_INTERMEDIATE, 2, 1, 2);
        Date later = new Date(NOW.getTime() + 400L * 24 * 3600 * 1000);
        assertThat(DaneVerifier.verify(List.of(ta), VIA_INTERMEDIATE.chain(), List.of("mx.example.test"), later))
                .as("the leaf has expired by then").isEqualTo(DaneOutcome.NO_MATCH);
    }

    @Test
    void unusableAndForeignRecordsMatchNothing() {
        IssuedCertificate other = CA.leaf("mx.example.test");
        List<Tlsa> records = List.of(
                new Tlsa(1, 1, 1, VIA_INTERMEDIATE.tlsaData(3, 1, 1)),
                new Tlsa(0, 0, 1, VIA_INTERMEDIATE.tlsaData(2, 0, 1)),
                record(other, 3, 1, 1),
                new Tlsa(3, 1, 7, new byte[32]));
        assertThat(DaneVerifier.verify(records, VIA_INTERMEDIATE.chain(), List.of("mx.example.test"), NOW))
                .isEqualTo(DaneOutcome.NO_MATCH);
        assertThat(DaneVerifier.verify(List.of(), VIA_INTERMEDIATE.chain(), List.of("mx.example.test"), NOW))
                .isEqualTo(DaneOutcome.NO_MATCH);
    }

    @Test
    void namesFollowRfc6125() {
        assertThat(HostnameMatcher.matches("*.example.test", "mx.example.test", true)).isTrue();
        assertThat(HostnameMatcher.matches("*.example.test", "a.mx.example.test", true)).isFalse();
        assertThat(HostnameMatcher.matches("*.example.test", "example.test", true)).isFalse();
        assertThat(HostnameMatcher.matches("*.example.test", "mx.example.test", false)).isFalse();
        assertThat(HostnameMatcher.matches("*.test", "example.test", true)).as("no wildcard over a TLD").isFalse();
        assertThat(HostnameMatcher.matchesAny(CA.leaf("MX.Example.Test").leaf(), List.of("mx.example.test."), false))
                .isTrue();
    }
}
