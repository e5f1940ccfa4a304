package dev.qremote.sender.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.report.ReportTemplate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * qmail-rspawn's own answers come from the report catalog, and are the bytes C writes (notqmail spawn.c
 * err() calls and qmail-rspawn.c report(), copied here by hand from that source as the reference).
 */
class SpawnTextsTest {
    private static final Map<ReportTemplate, String> C = Map.ofEntries(
            Map.entry(ReportTemplate.SPAWN_SLOT_TOO_BIG, "ZInternal error: delnum too big. (#4.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_SLOT_IN_USE, "ZInternal error: delnum in use. (#4.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_ID_NONNUMERIC, "DInternal error: messid has nonnumerics. (#5.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_ID_TOO_LONG, "DInternal error: messid too long. (#5.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_ID_TOO_SHORT, "DInternal error: messid too short. (#5.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_NO_HOST, "DSorry, address must include host name. (#5.1.3)\n"),
            Map.entry(ReportTemplate.SPAWN_CANNOT_OPEN, "Zqmail-spawn unable to open message. (#4.3.0)\n"),
            Map.entry(ReportTemplate.SPAWN_CANNOT_FSTAT, "Zqmail-spawn unable to fstat message. (#4.3.0)\n"),
            Map.entry(ReportTemplate.SPAWN_WRONG_TYPE, "ZSorry, message has wrong type. (#4.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_WRONG_OWNER, "ZSorry, message has wrong owner. (#4.3.5)\n"),
            Map.entry(ReportTemplate.SPAWN_CANNOT_FORK, "Zqmail-spawn unable to fork. (#4.3.0)\n"),
            Map.entry(ReportTemplate.REMOTE_CANNOT_RUN, "DUnable to run qmail-remote.\n"),
            Map.entry(ReportTemplate.REMOTE_CRASHED, "Zqmail-remote crashed.\n"),
            Map.entry(ReportTemplate.REMOTE_NO_OUTPUT, "Zqmail-remote produced no output.\n"));

    @Test
    void everyAnswerOfItsOwnIsCsBytes() {
        C.forEach((template, bytes) -> assertThat(ResidentSpawn.answer(template)).as(template.name()).isEqualTo(bytes));
        assertThat(ResidentSpawn.SLOT_TOO_BIG).isEqualTo(C.get(ReportTemplate.SPAWN_SLOT_TOO_BIG));
        assertThat(MessageFiles.WRONG_OWNER).isEqualTo(C.get(ReportTemplate.SPAWN_WRONG_OWNER));
        assertThat(ReportTranslation.NO_OUTPUT).isEqualTo(C.get(ReportTemplate.REMOTE_NO_OUTPUT));
    }

    @Test
    void everyCatalogEntryOfQmailRspawnIsListedHere() {
        for (ReportTemplate t : ReportTemplate.values()) {
            if (t.name().startsWith("SPAWN_") || t.name().startsWith("REMOTE_")) {
                assertThat(C).as(t.name()).containsKey(t);
            }
        }
    }
}
