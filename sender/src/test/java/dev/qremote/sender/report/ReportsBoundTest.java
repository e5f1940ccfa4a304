package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No report grows with what arguments, control files, DNS or a server give it. */
class ReportsBoundTest {
    private static final String HUGE = "x".repeat(100_000);

    @Test
    void aHugeHostNameIsCutAtTheNameCap() {
        Report report = Reports.forHost(ReportTemplate.HOST_NOT_FOUND, HUGE);
        assertThat(report.text()).isEqualTo("Sorry, I couldn't find any host named " + "x".repeat(Reports.NAME_CAP)
                + ".... (#5.1.2)\n");
        assertThat(Reports.forHost(ReportTemplate.HOST_NOT_FOUND, "a.test").text())
                .isEqualTo("Sorry, I couldn't find any host named a.test. (#5.1.2)\n");
    }

    @Test
    void everyFillingIsBoundedWhateverItsSize() throws Exception {
        InetAddress ip = InetAddress.getByName("2001:db8::1");
        List<String> said = Collections.nCopies(1000, "550-" + HUGE);
        for (ReportTemplate template : ReportTemplate.values()) {
            Report tls = Reports.forTls(template, ip, HUGE, HUGE, HUGE, said);
            Report peer = Reports.forPeer(template, ip, HUGE, said);
            Report noted = tls;
            for (ReportTemplate note : List.of(ReportTemplate.AUTH_SKIPPED_NOTE, ReportTemplate.CHUNKED_NOTE,
                    ReportTemplate.RECODED_NOTE, ReportTemplate.FOLDED_NOTE)) {
                noted = Reports.withNote(noted, note, HUGE);
            }
            for (Report report : List.of(tls, peer, noted, Reports.withDetail(template, HUGE),
                    Reports.forHost(template, HUGE))) {
                assertThat(report.bytes().length).as(template.name()).isLessThanOrEqualTo(Reports.MAX_REPORT);
                assertThat(report.text()).as(template.name()).doesNotContain("\0");
            }
        }
    }
}
