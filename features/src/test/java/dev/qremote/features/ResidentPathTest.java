package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the resident run of the features reads qmail-rspawn's output and turns the expectations around. */
class ResidentPathTest {
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static SenderRun wrote(String escaped) {
        return new SenderRun(ReportText.bytes(escaped), new byte[0], 0, Duration.ZERO);
    }

    @Test
    void theAnswerIsTheOneTextAfterTheSlotLimitAndTheSlot() {
        assertThat(text(ResidentPath.answer(wrote("x\\x07Kok\\0")))).isEqualTo("Kok");
        assertThatThrownBy(() -> ResidentPath.answer(wrote("x\\x08Kok\\0"))).hasMessageContaining("slot 7");
        assertThatThrownBy(() -> ResidentPath.answer(wrote("x\\x07Kok\\0\\x07Kok\\0"))).hasMessageContaining("more than one");
        assertThatThrownBy(() -> ResidentPath.answer(wrote("x"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ResidentPath.answer(wrote("x\\x07Kok"))).isInstanceOf(AssertionError.class);
    }

    @Test
    void aPrefixOfTheReportsBecomesAPrefixOfTheAnswer() {
        ResidentPath.Prefix accepted = ResidentPath.expectedPrefix(ReportText.bytes("r\\0K127.0.0.2 accepted"));
        assertThat(accepted.letterKnown()).isTrue();
        assertThat(text(accepted.text())).isEqualTo("K127.0.0.2 accepted");
        ResidentPath.Prefix refused = ResidentPath.expectedPrefix(ReportText.bytes("h127.0.0.2 does not"));
        assertThat(refused.letterKnown()).as("h makes it a D").isTrue();
        assertThat(text(refused.text())).isEqualTo("D127.0.0.2 does not");
        assertThat(ResidentPath.expectedPrefix(ReportText.bytes("r\\0")).letterKnown())
                .as("r alone: the message report decides").isFalse();
        assertThat(text(ResidentPath.expectedPrefix(ReportText.bytes("ZSorry")).text())).isEqualTo("ZSorry");
    }

    @Test
    void requestsQmailSendCannotMakeAreRefused() {
        assertThatThrownBy(() -> ResidentPath.deliver(null, List.of("example.test", "a@sender.test", "b@example.test",
                "c@example.test"), new byte[0], Map.of())).hasMessageContaining("one recipient at a time");
        assertThatThrownBy(() -> ResidentPath.deliver(null, List.of("[127.0.0.2]", "a@sender.test", "b@example.test"),
                new byte[0], Map.of())).hasMessageContaining("host from the recipient");
    }
}
