package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.delivery.ScriptedPeer.Kind;
import dev.qremote.sender.delivery.ScriptedPeer.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Findings of the "smtpreuse" fuzz target (SmtpReuseFuzzTest), each replayed with the exact scenario that
 * broke the oracle, under the same oracle. The input that found each is named.
 */
class SmtpReuseRegressionTest {
    private static final SmtpReuseFuzzTest.Idle NOTHING = SmtpReuseFuzzTest.Idle.NOTHING;

    private static SmtpReuseFuzzTest.Delivery delivery(int n, String... recipients) {
        return new SmtpReuseFuzzTest.Delivery(List.of(recipients), ScriptedPeer.MARKER + "\nmessage " + n + "\n",
                NOTHING);
    }

    /**
     * A finding of the bench, not of the engine (input SmtpReuseFuzzTestInputs/smtpreuse/crash-d56cc550…):
     * with PIPELINING the client sends BDAT LAST before it reads the answer to the chunk before it; that
     * answer came with an extra "600" line, the client rightly gave up with "Possible duplicate!", and the
     * next delivery began before the peer had read the BDAT LAST waiting for it, so the peer booked the
     * final dot to the next delivery and the oracle saw "Possible duplicate" before any dot. The peer now
     * settles (reads what the client sent) before the next delivery begins.
     */
    @Test
    void aBdatLastReadLateCountsForItsOwnDelivery() throws Exception {
        List<Step> script = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            script.add(Step.of(Kind.PROPER));
        }
        for (int i = 0; i < 7; i++) {
            script.add(new Step(Kind.PROPER, true, true, true, 0)); // "250 ok BDAT\n600 extra\n", in pieces
        }
        SmtpReuseFuzzTest.Outcome outcome = SmtpReuseFuzzTest.check(new SmtpReuseFuzzTest.Scenario(true, true, 5,
                "MAILMAX=2147483647 RCPTDOMAINMAX=01", List.of(
                        delivery(1, "r0@example.test", "r1@example.test", "r2@OTHER.test"),
                        delivery(2, "r0@other.test", "r1@OTHER.test", "r2@example.test"),
                        delivery(3, "r0@other.test")), script));
        assertThat(outcome.reports().get(0)).contains("Possible duplicate");
    }
}
