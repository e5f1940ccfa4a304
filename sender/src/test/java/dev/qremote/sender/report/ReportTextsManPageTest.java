package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every report text of the catalog appears in qmail-remote(8)'s REPORT TEXTS, its placeholders as the words
 * ip, host, mx and detail: a new or changed text fails here until the page says it too.
 */
class ReportTextsManPageTest {

    @Test
    void qmailRemoteEightListsEveryReportText() throws IOException {
        String page = Files.readString(Path.of("../man/qmail-remote.8"));
        String section = page.substring(page.indexOf(".SH \"REPORT TEXTS\""), page.indexOf(".SH \"EXIT CODES\""));
        String text = collapse(section.replaceAll("(?m)^\\.(TP 5|br|nh|hy|SS .*|B [A-Za-z]|BR .*)$", "\n")
                .replace("\\fI", "").replace("\\fP", "").replace("\\&", "").replace("\\e", "\\"));
        for (ReportTemplate template : ReportTemplate.values()) {
            for (String line : template.template().replace("{remote}", "").replace("{report}", "")
                    .replaceAll("\\{(ip|host|mx|detail)}", "$1").split("\n")) {
                assertThat(text).as(template.name()).contains(collapse(line));
            }
        }
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
