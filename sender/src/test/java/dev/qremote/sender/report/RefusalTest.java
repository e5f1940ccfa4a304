package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.report.ReportTemplate.Refusal;
import org.junit.jupiter.api.Test;

/** Each refusal pair is one text with a temporary and a permanent letter, and each pair is distinct. */
class RefusalTest {

    @Test
    void aPairDiffersOnlyInItsLetter() {
        for (Refusal refusal : Refusal.values()) {
            assertThat(refusal.temporary().template()).as(refusal.name()).isEqualTo(refusal.permanent().template());
            char expectedTemporary = refusal == Refusal.RECIPIENT ? 's' : 'Z';
            char expectedPermanent = refusal == Refusal.RECIPIENT ? 'h' : 'D';
            assertThat(refusal.temporary().letter()).as(refusal.name()).isEqualTo(expectedTemporary);
            assertThat(refusal.permanent().letter()).as(refusal.name()).isEqualTo(expectedPermanent);
            assertThat(refusal.temporary().name()).endsWith("_TEMPORARILY");
            assertThat(refusal.permanent().name()).endsWith("_PERMANENTLY")
                    .startsWith(refusal.temporary().name().replace("_TEMPORARILY", ""));
        }
    }

    @Test
    void everyPairInTheCatalogHasARefusal() {
        long pairs = java.util.Arrays.stream(ReportTemplate.values()).filter(t -> t.name().endsWith("_PERMANENTLY"))
                .count();
        assertThat(Refusal.values()).hasSize((int) pairs);
    }
}
