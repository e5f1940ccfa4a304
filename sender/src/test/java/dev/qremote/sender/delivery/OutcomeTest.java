package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.ReportTemplate.Refusal;
import dev.qremote.sender.transport.smtp.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outcome of an answer decides which template of a refusal pair applies. */
class OutcomeTest {

    @Test
    void smtpCodes() {
        assertThat(Outcome.of(new Reply(250, List.of("250 ok")))).isEqualTo(Outcome.ACCEPTED);
        assertThat(Outcome.of(new Reply(354, List.of("354 go")))).isEqualTo(Outcome.ACCEPTED);
        assertThat(Outcome.of(new Reply(421, List.of("421 bye")))).isEqualTo(Outcome.TEMPORARY);
        assertThat(Outcome.of(new Reply(499, List.of("499 x")))).isEqualTo(Outcome.TEMPORARY);
        assertThat(Outcome.of(new Reply(500, List.of("500 x")))).isEqualTo(Outcome.PERMANENT);
        assertThat(Outcome.of(new Reply(554, List.of("554 no")))).isEqualTo(Outcome.PERMANENT);
    }

    @Test
    void qmtpCodes() {
        assertThat(Outcome.ofQmtp('K')).isEqualTo(Outcome.ACCEPTED);
        assertThat(Outcome.ofQmtp('Z')).isEqualTo(Outcome.TEMPORARY);
        assertThat(Outcome.ofQmtp('D')).isEqualTo(Outcome.PERMANENT);
    }

    @Test
    void theRefusalTemplate() {
        assertThat(Outcome.TEMPORARY.refusal(Refusal.SENDER)).isEqualTo(ReportTemplate.SENDER_REJECTED_TEMPORARILY);
        assertThat(Outcome.PERMANENT.refusal(Refusal.RECIPIENT)).isEqualTo(ReportTemplate.RECIPIENT_REJECTED_PERMANENTLY);
        assertThatThrownBy(() -> Outcome.ACCEPTED.refusal(Refusal.DATA)).isInstanceOf(IllegalStateException.class);
    }
}
