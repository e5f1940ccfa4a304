package dev.qremote.sender.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * C qmail-rspawn's report() on qmail-remote's output (facts 0b), with '|' for NUL in the tables: the letter
 * of the first K/Z/D (D when none), s and h first reports overriding it, the first report's text, and the
 * message report's text only when the first report did not make the outcome worse.
 */
class ReportTranslationTest {

    private static String translate(String output) {
        return new String(ReportTranslation.translate(output.replace('|', '\0').getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        // the facts file's examples
        "r|Ktext|; Ktext",
        "h1.2.3.4 does not like recipient.|Dgiving up|; D1.2.3.4 does not like recipient.giving up",
        "s1.2.3.4 does not like recipient.|K1.2.3.4 accepted message.|; Z1.2.3.4 does not like recipient.",
        "Ztext|; Ztext",
        // a temporary recipient refusal followed by a temporary message report: both texts
        "sno.|Zlater.|; Zno.later.",
        // a permanent recipient refusal after which the message was still taken: D with the recipient's text
        "hno.|Kyes.|; Dno.",
        // an accepted recipient and a deferral: Z, the empty r text, the message report's
        "r|Zconnection lost.|; Zconnection lost.",
        // no K, Z or D at all: D with the first report's text
        "r|; D",
        "Dbounced.|; Dbounced.",
        // the first NUL ends the first text; a letter alone is a letter
        "K|; K",
        // a report without its NUL is no report to C's scan (it looks at NULs): D, and no text
        "Kunterminated; D",
        // only the report right after the first is looked at
        "r|r|Kthird|; K",
    })
    void translatesAsCQmailRspawn(String output, String expected) {
        assertThat(translate(output)).isEqualTo(expected);
    }

    @Test
    void noOutputIsADeferral() {
        assertThat(translate("")).isEqualTo("Zqmail-remote produced no output.\n");
    }

    @Test
    void aRealAcceptKeepsItsNewlines() {
        assertThat(translate("r|K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok\n|"))
                .isEqualTo("K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok\n");
    }
}
