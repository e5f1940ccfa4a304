package dev.qremote.sender.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The LIMITS keyword's parameters (RFC 9422 3): what is used, and what a client must ignore. */
class LimitsTest {

    @Test
    void theThreeLimitsInAnyOrderAndCase() {
        assertThat(Limits.parse("rcptmax=20 MAILMAX=5 RcptDomainMax=3")).isEqualTo(new Limits(5, 20, 3));
    }

    @Test
    void unknownNamesAndMalformedValuesAreIgnored() {
        assertThat(Limits.parse("FOO=1 RCPTMAX=x MAILMAX= RCPTDOMAINMAX=-1 MAILMAX RCPTMAX=0 =5"))
                .isEqualTo(Limits.NONE);
        assertThat(Limits.parse("RCPTMAX=99999999999")).as("beyond int range").isEqualTo(Limits.NONE);
        assertThat(Limits.parse("RCPTMAX=+5 MAILMAX=1e3")).isEqualTo(Limits.NONE);
        assertThat(Limits.NONE.any()).isFalse();
    }

    @Test
    void aNameGivenTwiceCountsWithItsSmallerValue() {
        assertThat(Limits.parse("RCPTMAX=50 RCPTMAX=10 RCPTMAX=30").rcptMax()).isEqualTo(10);
    }

    @Test
    void fromTheEhloAnswer() {
        Reply ehlo = new Reply(250, java.util.List.of("250-mx.test", "250-PIPELINING", "250 LIMITS RCPTMAX=2"));
        assertThat(Extensions.fromEhlo(ehlo).limits()).isEqualTo(new Limits(0, 2, 0));
        assertThat(Extensions.none().limits()).isEqualTo(Limits.NONE);
    }
}
