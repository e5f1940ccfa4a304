package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

    @Test
    void recipientReportsThenOneMessageReport() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReportWriter(out).write(List.of(Reports.of(ReportTemplate.RECIPIENT_ACCEPTED)),
                Reports.of(ReportTemplate.NO_CONNECTION));
        assertThat(out.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("r\0ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0");
    }

    @Test
    void aMessageReportNeverComesBeforeTheEnd() {
        ReportWriter writer = new ReportWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> writer.write(List.of(Reports.of(ReportTemplate.NO_CONNECTION)),
                Reports.of(ReportTemplate.NO_CONNECTION))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyOneMessageReport() throws Exception {
        ReportWriter writer = new ReportWriter(new ByteArrayOutputStream());
        writer.write(List.of(), Reports.of(ReportTemplate.NO_CONNECTION));
        assertThatThrownBy(() -> writer.write(List.of(), Reports.of(ReportTemplate.NO_CONNECTION)))
                .isInstanceOf(IllegalStateException.class);
    }
}
