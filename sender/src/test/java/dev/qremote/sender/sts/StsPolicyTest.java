package dev.qremote.sender.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8461 3.1 (the TXT record), 3.2 (the policy) and 4.1 (MX patterns). */
class StsPolicyTest {

    @Test
    void recordsAreFilteredByVersionAndMustBeOne() {
        assertThat(StsRecord.id(List.of("v=STSv1; id=20160831085700Z;"))).contains("20160831085700Z");
        assertThat(StsRecord.id(List.of("v=STSv1;id=abc", "v=spf1 -all"))).contains("abc");
        assertThat(StsRecord.id(List.of("v=STSv1; id=a;", "v=STSv1; id=b;"))).isEmpty();
        assertThat(StsRecord.id(List.of("v=STSv1; id=a; ext=x;"))).contains("a");
        assertThat(StsRecord.id(List.of("v=STSv1;"))).isEmpty();
        assertThat(StsRecord.id(List.of("v=STSv1; id=has-dash;"))).isEmpty();
        assertThat(StsRecord.id(List.of("v=STSv1; id=" + "a".repeat(33) + ";"))).isEmpty();
        assertThat(StsRecord.id(List.of("v=STSv1; id=a; id=b;"))).isEmpty();
        assertThat(StsRecord.id(List.of("v=STSv10; id=a;"))).isEmpty();
    }

    @Test
    void theRfcExampleParses() throws StsPolicyException {
        StsPolicy policy = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertThat(policy.mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(policy.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(604800);
        assertThat(policy.lines()).hasSize(6).first().isEqualTo("version: STSv1");
    }

    @Test
    void unknownKeysAreIgnoredAndTheFirstOfARepeatedKeyCounts() throws StsPolicyException {
        StsPolicy policy = StsPolicy.parse("version: STSv1\nmode: testing\nmode: enforce\nfuture_key: x y\n"
                + "mx: a.test\nmax_age: 5");
        assertThat(policy.mode()).isEqualTo(StsMode.TESTING);
        assertThat(policy.maxAge()).isEqualTo(5);
    }

    @Test
    void malformedPoliciesAreRefused() {
        for (String bad : List.of("", "version: STSv1\nmode: enforce\nmx: a.test\n",
                "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -1\n",
                "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n",
                "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 12345678901\n",
                "version: STSv1\nmode: Enforce\nmx: a.test\nmax_age: 1\n",
                "version: STSv1\nmode: enforce\nmx: *.*.a.test\nmax_age: 1\n",
                "version: STSv1\nmode: enforce\nmx: a..test\nmax_age: 1\n",
                "version: STSv1\nmode: enforce\nmax_age: 1\n",
                "version: STSv1\nmode: enforce\n\nmx: a.test\nmax_age: 1\n",
                "version: STSv1\nmode enforce\nmx: a.test\nmax_age: 1\n")) {
            assertThatThrownBy(() -> StsPolicy.parse(bad)).as(bad).isInstanceOf(StsPolicyException.class);
        }
    }

    @Test
    void modeNoneNeedsNoMx() throws StsPolicyException {
        assertThat(StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 1\n").mode()).isEqualTo(StsMode.NONE);
    }

    @Test
    void wildcardsMatchExactlyOneLeftmostLabel() throws StsPolicyException {
        StsPolicy policy = StsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmx: Mail.Example.Net\n"
                + "max_age: 1\n");
        assertThat(policy.allows("mx1.example.com")).isTrue();
        assertThat(policy.allows("MX1.EXAMPLE.COM.")).isTrue();
        assertThat(policy.allows("example.com")).isFalse();
        assertThat(policy.allows("a.b.example.com")).isFalse();
        assertThat(policy.allows("mail.example.net")).isTrue();
        assertThat(policy.allows("x.mail.example.net")).isFalse();
    }
}
