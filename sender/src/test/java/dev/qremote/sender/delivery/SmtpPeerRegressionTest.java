package dev.qremote.sender.delivery;

import static dev.qremote.sender.delivery.ScriptedPeer.Step.literal;

import dev.qremote.sender.delivery.ScriptedPeer.Kind;
import dev.qremote.sender.delivery.ScriptedPeer.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Findings of the "smtp" fuzz target (SmtpPeerFuzzTest), each replayed with the exact replies that broke
 * the oracle, under the same oracle. The seed that found each is named.
 */
class SmtpPeerRegressionTest {
    private static final String MESSAGE = ScriptedPeer.MARKER + "\nhello\n";

    private static void check(int recipients, Step... script) throws Exception {
        SmtpPeerFuzzTest.check(new SmtpPeerFuzzTest.Scenario(recipients, false, false, 0, MESSAGE, List.of(script)));
    }

    /** Seed 3000016: a 350 to RCPT was taken as acceptance (r, then K). RCPT takes 250 or 251 only. */
    @Test
    void a350ToRcptAcceptsNoRecipient() throws Exception {
        check(1, Step.of(Kind.PROPER), literal("250 mx\r\n", 250), Step.of(Kind.PROPER),
                literal("350-j\r\n350 inmge\r\n", 350));
    }

    /** Seed 3000049: a 354 sent after the reply to MAIL was read as the reply to RCPT (r, then Z). */
    @Test
    void anExtraReplyAfterMailIsNotTheAnswerToRcpt() throws Exception {
        check(1, Step.of(Kind.PROPER), literal("250 mx\r\n", 250), literal("250 ok\r\n354 extra\r\n", 250),
                Step.of(Kind.HARD_CLOSE));
    }

    /**
     * Seed 3000389: a second greeting line put every later reply one behind: the reply to MAIL was read as
     * the reply to RCPT (r), although RCPT was answered with no valid reply at all.
     */
    @Test
    void aSecondGreetingLineIsNotTheAnswerToEhlo() throws Exception {
        check(1, literal("220 ok\r\n334 extra\r\n", 220), Step.of(Kind.PROPER), Step.of(Kind.PROPER),
                Step.of(Kind.PROPER), literal("250v\ty\r\u00fb\r\n", -1));
    }

    /** Seed 3000223: a 221 to the final dot was taken as delivery (K). Only 250 there means delivered. */
    @Test
    void a221AfterTheFinalDotIsNoDelivery() throws Exception {
        check(1, Step.of(Kind.PROPER), literal("250 mx\r\n", 250), Step.of(Kind.PROPER), Step.of(Kind.PROPER),
                Step.of(Kind.PROPER), literal("221 \0lwksydmgxy\rr\r\n", 221));
    }

    /** The same class over BDAT (issue 12 part 1): a 350 to BDAT LAST is no delivery either. */
    @Test
    void a350ToBdatLastIsNoDelivery() throws Exception {
        SmtpPeerFuzzTest.check(new SmtpPeerFuzzTest.Scenario(1, false, true, 32768, MESSAGE, List.of(
                Step.of(Kind.PROPER), Step.of(Kind.PROPER), Step.of(Kind.PROPER), Step.of(Kind.PROPER),
                literal("350 go on\r\n", 350))));
    }

    /**
     * Found by bin/fuzz on main's reply discipline (input SmtpPeerFuzzTestInputs/smtp/crash-db11069f…): with
     * PIPELINING and CHUNKING, an extra "250" after the reply to MAIL was read as the reply to RCPT, the real
     * reply to RCPT as the reply to BDAT LAST, and the delivery reported K although BDAT LAST was answered
     * with no valid reply at all. The real RCPT reply arrives just after the check for waiting input.
     */
    @Test
    void anExtraReplyInAPipelinedBatchIsNotTakenForTheAnswerToBdatLast() throws Exception {
        SmtpPeerFuzzTest.check(new SmtpPeerFuzzTest.Scenario(1, true, true, 32768, MESSAGE, List.of(
                Step.of(Kind.PROPER), Step.of(Kind.PROPER), literal("250 ok MAIL\n250 extra\n", 250),
                Step.of(Kind.PROPER), literal("235esp\n354 extra\n", -1))));
    }
}
