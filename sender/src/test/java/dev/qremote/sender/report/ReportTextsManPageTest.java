package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every report text of the catalog appears in qmail-remote(8)'s REPORT TEXTS, its placeholders as the words
 * ip, host, mx and detail, and qmail-rspawn's own answers (SPAWN_, REMOTE_) in qmail-rspawn(8)'s ANSWERS: a
 * new or changed text fails here until the page says it too.
 */
class ReportTextsManPageTest {

    /** C's answers that have no cause in one JVM: a failed fork, a crashed or silent qmail-remote. */
    private static final java.util.Set<ReportTemplate> NEVER_GIVEN = java.util.EnumSet.of(
            ReportTemplate.SPAWN_CANNOT_FORK, ReportTemplate.REMOTE_CRASHED, ReportTemplate.REMOTE_NO_OUTPUT);

    @Test
    void qmailRemoteEightListsEveryReportText() throws IOException {
        String text = section("../man/qmail-remote.8", ".SH \"REPORT TEXTS\"");
        for (ReportTemplate template : ReportTemplate.values()) {
            if (spawnAnswer(template)) {
                continue;
            }
            for (String line : template.template().replace("{remote}", "").replace("{report}", "")
                    .replaceAll("\\{(ip|host|mx|detail)}", "$1").split("\n")) {
                assertThat(text).as(template.name()).contains(collapse(line));
            }
        }
    }

    /**
     * The page said remote text outside 33 to 126 became '?', but the space is kept (classic qmail-remote
     * prints the reply as it came; only outsafe(), for host names, turns the space into '?'): the ranges the
     * page gives are the ones the code keeps.
     */
    @Test
    void qmailRemoteEightGivesTheRangesRemoteTextAndHostNamesKeep() throws IOException {
        String page = collapse(Files.readString(Path.of("../man/qmail-remote.8")));
        assertThat(page).contains("every other byte outside 32 to 126 (printable ASCII and the space) is shown as .BR ?")
                .contains("every byte outside 33 to 126 (the space too) as .BR ?").doesNotContain("remote text outside 33");
        assertThat(RemoteText.said(java.util.List.of("250 ok \u00e9\u007f\u001f~"))).isEqualTo("Remote host said: 250 ok ???~\n");
        assertThat(RemoteText.safe("a b\u00e9\u007f!~")).isEqualTo("a?b??!~");
    }

    @Test
    void qmailRspawnEightListsItsOwnAnswers() throws IOException {
        String text = section("../man/qmail-rspawn.8", ".SH ANSWERS");
        for (ReportTemplate template : ReportTemplate.values()) {
            if (spawnAnswer(template) && !NEVER_GIVEN.contains(template)) {
                assertThat(text).as(template.name()).contains(collapse(template.template()));
            }
        }
    }

    private static boolean spawnAnswer(ReportTemplate template) {
        return template.name().startsWith("SPAWN_") || template.name().startsWith("REMOTE_");
    }

    /** The text of a page's section up to EXIT CODES, without the macros that break its lines. */
    private static String section(String file, String heading) throws IOException {
        String page = Files.readString(Path.of(file));
        String section = page.substring(page.indexOf(heading), page.indexOf(".SH \"EXIT CODES\""));
        return collapse(section.replaceAll("(?m)^\\.(TP 5|br|nh|hy|SS .*|B [A-Za-z]|BR .*)$", "\n")
                .replace("\\fI", "").replace("\\fP", "").replace("\\&", "").replace("\\e", "\\"));
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
