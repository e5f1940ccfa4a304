package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderCommand;
import dev.qremote.bench.SenderRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two ways the container tests deliver one message to one recipient: per-process {@code bin/qmail-remote}
 * (its reports on stdout), or a resident {@code bin/qmail-rspawn} driven as qmail-send drives it
 * ({@link ResidentPath}: the message as a queue file, one request, one answer). The expectations are written
 * once, as qmail-remote's reports in {@link ReportText}'s visible form; on the resident path they are
 * translated as C qmail-rspawn's {@code report()} translates them, so both paths must agree.
 */
enum DeliveryPath {
    PER_PROCESS, RESIDENT;

    /**
     * Delivers {@code message} for {@code argv} (host, sender, recipient...) with the qmail home
     * {@code qmailHome}, scratch files in {@code workDir} and {@code env} added to the environment; checks that
     * nothing went to stderr and the exit status is 0.
     */
    SenderRun deliver(Path qmailHome, Path workDir, List<String> argv, Path message, Map<String, String> env)
            throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.put("QMAILHOME", qmailHome.toString());
        SenderRun run = this == PER_PROCESS
                ? SenderCommand.configured(Path.of("")).run(argv, message, all, workDir)
                : ResidentPath.deliver(qmailHome, workDir, all, argv, Files.readAllBytes(message));
        assertThat(run.stderr()).as("stderr of " + this).isEmpty();
        assertThat(run.exitStatus()).as("exit status of " + this).isZero();
        return run;
    }

    /** Assertions on what {@code run} reported, written as per-process reports. */
    Reports reports(SenderRun run) {
        return new Reports(this, run);
    }

    /** Per-process reports in visible form, or qmail-rspawn's one answer checked against their translation. */
    static final class Reports {
        private final DeliveryPath path;
        private final String shown;

        private Reports(DeliveryPath path, SenderRun run) {
            this.path = path;
            // the answer's closing NUL shown as a report's, so a fragment at the end of the last report matches
            this.shown = path == PER_PROCESS ? run.visibleReports()
                    : ReportText.visible(ResidentPath.answer(run)) + "\\0\n";
        }

        /** All reports, exactly. */
        Reports isEqualTo(String reports) {
            String expected = path == PER_PROCESS ? reports
                    : ReportText.visible(ResidentPath.expected(ReportText.bytes(reports))) + "\\0\n";
            assertThat(shown).as(path + " reports").isEqualTo(expected);
            return this;
        }

        /** The reports start with {@code prefix}; on the resident path as {@link ReportSteps} checks a prefix. */
        Reports startsWith(String prefix) {
            if (path == PER_PROCESS) {
                assertThat(shown).as(path + " reports").startsWith(prefix);
                return this;
            }
            ResidentPath.Prefix expected = ResidentPath.expectedPrefix(ReportText.bytes(prefix));
            String text = ReportText.visible(expected.text());
            if (expected.letterKnown()) {
                assertThat(shown).as(path + " answer for reports starting " + prefix).startsWith(text);
            } else {
                assertThat(shown.substring(1)).as(path + " answer after its letter, for reports starting " + prefix)
                        .startsWith(text.substring(1));
            }
            return this;
        }

        /** A fragment within one report (its text, or its end with {@code \0}). */
        Reports contains(String fragment) {
            assertThat(shown).as(path + " reports").contains(fragment);
            return this;
        }

        Reports doesNotContain(String fragment) {
            assertThat(shown).as(path + " reports").doesNotContain(fragment);
            return this;
        }
    }
}
