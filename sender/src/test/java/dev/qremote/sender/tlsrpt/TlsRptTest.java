package dev.qremote.sender.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.attemptlog.AppendLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool line, the RFC 8460 record and report, and what a mailto: address may pass on. */
class TlsRptTest {
    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");

    private static SessionOutcome session(TlsRptPolicy policy, String result) {
        return new SessionOutcome(NOON, policy, result, "192.0.2.1", "mx1.example.test", "198.51.100.2");
    }

    @Test
    void aSpoolLineReadsBackAsItWasWritten(@TempDir Path dir) throws Exception {
        SessionOutcome tlsa = session(TlsRptPolicy.tlsa("example.test", List.of("3 1 1 abcd")), "tlsa-invalid");
        SessionOutcome sts = session(TlsRptPolicy.sts("example.test", List.of("version: STSv1", "mode: enforce"),
                List.of("*.example.test")), SessionOutcome.SUCCESS);
        assertThat(Spool.append(AppendLog.unkept(), dir.resolve("spool"), tlsa)).as("directory made").isTrue();
        assertThat(Spool.append(AppendLog.unkept(), dir.resolve("spool"), sts)).isTrue();
        Files.writeString(dir.resolve("spool/2026-12-01"), "{\"time\":\"2026-12-01T", java.nio.file.StandardOpenOption.APPEND);
        assertThat(Spool.read(dir.resolve("spool"), LocalDate.parse("2026-12-01")))
                .as("a line cut short counts for nothing").containsExactly(tlsa, sts);
        assertThat(Spool.read(dir.resolve("spool"), LocalDate.parse("2026-12-02"))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReportCountsPerPolicyAndFailuresPerResultAndPeer() {
        TlsRptPolicy none = TlsRptPolicy.none("example.test");
        TlsRptPolicy tlsa = TlsRptPolicy.tlsa("example.test", List.of("3 1 1 abcd"));
        DailyReport report = new DailyReport(LocalDate.parse("2026-12-01"), "example.test", "Org", "postmaster@org",
                "id-1", List.of(session(none, "success"), session(none, "certificate-expired"),
                        session(none, "certificate-expired"), session(tlsa, "success")));
        Map<String, Object> json = (Map<String, Object>) Json.parse(Json.write(report.json()));
        assertThat(json.keySet()).containsExactly("organization-name", "date-range", "contact-info", "report-id",
                "policies");
        List<Map<String, Object>> policies = (List<Map<String, Object>>) json.get("policies");
        assertThat(policies).hasSize(2);
        Map<String, Object> first = policies.get(0);
        assertThat((Map<String, Object>) first.get("policy")).containsOnlyKeys("policy-type", "policy-domain");
        assertThat((Map<String, Object>) first.get("summary")).containsEntry("total-successful-session-count", 1L)
                .containsEntry("total-failure-session-count", 2L);
        assertThat((List<Map<String, Object>>) first.get("failure-details")).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("result-type", "certificate-expired").containsEntry("failed-session-count", 2L)
                .containsEntry("sending-mta-ip", "192.0.2.1").containsEntry("receiving-ip", "198.51.100.2")
                .containsEntry("receiving-mx-hostname", "mx1.example.test"));
        assertThat((Map<String, Object>) policies.get(1).get("policy")).containsEntry("policy-type", "tlsa")
                .containsEntry("policy-string", List.of("3 1 1 abcd"));
        assertThat(policies.get(1)).doesNotContainKey("failure-details");
        assertThat(report.fileName("sender.test")).isEqualTo("sender.test!example.test!1796083200!1796169599.json.gz");
    }

    /** RFC 8460 4.4: sending-mta-ip, receiving-mx-hostname and receiving-ip are optional; no empty strings. */
    @Test
    @SuppressWarnings("unchecked")
    void mtaStsLinesWithoutASessionLeaveTheFieldsTheyDoNotHaveOutOfTheFailureDetails() {
        TlsRptPolicy unavailable = TlsRptPolicy.sts("example.test", List.of(), List.of());
        TlsRptPolicy enforce = TlsRptPolicy.sts("example.test", List.of("version: STSv1", "mode: enforce",
                "mx: mx1.example.test", "max_age: 600"), List.of("mx1.example.test"));
        DailyReport report = new DailyReport(LocalDate.parse("2026-12-01"), "example.test", "Org", "postmaster@org",
                "id-2", List.of(new SessionOutcome(NOON, unavailable, "sts-policy-fetch-error", "", "", ""),
                        new SessionOutcome(NOON, enforce, "validation-failure", "", "mx0.example.test", "198.51.100.3"),
                        session(enforce, "success")));
        List<Map<String, Object>> policies = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
                Json.write(report.json()))).get("policies");
        assertThat(policies).hasSize(2);
        assertThat((Map<String, Object>) policies.get(0).get("policy")).containsOnlyKeys("policy-type",
                "policy-domain").containsEntry("policy-type", "sts");
        assertThat((List<Map<String, Object>>) policies.get(0).get("failure-details")).singleElement()
                .satisfies(d -> assertThat(d).containsOnlyKeys("result-type", "failed-session-count")
                        .containsEntry("result-type", "sts-policy-fetch-error"));
        assertThat((Map<String, Object>) policies.get(1).get("policy")).containsEntry("mx-host",
                List.of("mx1.example.test")).containsKey("policy-string");
        assertThat((Map<String, Object>) policies.get(1).get("summary"))
                .containsEntry("total-successful-session-count", 1L).containsEntry("total-failure-session-count", 1L);
        assertThat((List<Map<String, Object>>) policies.get(1).get("failure-details")).singleElement()
                .satisfies(d -> assertThat(d).containsOnlyKeys("result-type", "receiving-mx-hostname", "receiving-ip",
                        "failed-session-count").containsEntry("receiving-mx-hostname", "mx0.example.test"));
    }

    @Test
    void oneTlsrptRecordGivesItsMailtoAndHttpsAddresses() {
        assertThat(RuaRecord.rua(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.test, https://r.example.test/x ,ftp://no")))
                .containsExactly("mailto:a@example.test", "https://r.example.test/x");
        assertThat(RuaRecord.rua(List.of("v=TLSRPTv1; rua=mailto:a@x.test", "v=TLSRPTv1; rua=mailto:b@x.test")))
                .as("two records: none (RFC 8460 3)").isEmpty();
        assertThat(RuaRecord.rua(List.of())).isEmpty();
    }

    @Test
    void aMailtoAddressIsOneAddressOrNothing() {
        assertThat(Submission.mailbox("mailto:tls%2Breports@example.test?subject=x")).contains("tls+reports@example.test");
        assertThat(Submission.mailbox("mailto:-oQ/tmp@example.test")).as("an option for qmail-inject").isEmpty();
        assertThat(Submission.mailbox("mailto:a@example.test%0aBcc:x@y")).isEmpty();
        assertThat(Submission.mailbox("mailto:a@x.test,b@y.test")).isEmpty();
        assertThat(Submission.mailbox("mailto:nobody")).isEmpty();
    }

    @Test
    void jsonReadsWhatItWritesAndRefusesTheRest() {
        Object value = Map.of("a", List.of("x\"\n\u00e9", 5L, true));
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
        assertThatThrownBy(() -> Json.parse("{\"a\":1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1] x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineNestedTooDeepIsSkippedAndTheOthersCount(@TempDir Path dir) throws Exception {
        // fresh8 F4: 200000 '[' overflowed the stack and no domain got its report that day
        assertThatThrownBy(() -> Json.parse("[".repeat(200_000))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).as("nesting well past a spool line's").isNotNull();
        SessionOutcome ok = session(TlsRptPolicy.none("example.test"), SessionOutcome.SUCCESS);
        assertThat(Spool.append(AppendLog.unkept(), dir, ok)).isTrue();
        Files.writeString(dir.resolve("2026-12-01"), "[".repeat(200_000) + "\n" + new String(ok.line(), java.nio.charset.StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(Spool.read(dir, LocalDate.parse("2026-12-01"))).containsExactly(ok, ok);
    }

    @Test
    void aQmailInjectThatHangsIsKilledAtTheLimitAndTheReportIsNotSent(@TempDir Path dir) throws Exception {
        // fresh8 F4b: stderr was read to its end before the timed wait, so a hung injector was waited for in full
        Path inject = dir.resolve("inject");
        Path pid = dir.resolve("pid");
        Files.writeString(inject, "#!/bin/sh\ncat >/dev/null\nsleep 30 &\necho $! > " + pid + "\nwait\n");
        inject.toFile().setExecutable(true);
        long start = System.nanoTime();
        Submission.Result result = Submission.mail(inject, "from@x.test", "to@y.test", new byte[200_000],
                java.time.Duration.ofSeconds(2));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(result.sent()).isFalse();
        assertThat(result.detail()).isEqualTo("qmail-inject did not finish within 2 s");
        assertThat(seconds).as("waited the limit, not the sleep").isLessThan(15);
        long sleeper = Long.parseLong(Files.readString(pid).strip());
        for (int i = 0; i < 50 && ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).as("its children killed too").isFalse();
    }

    @Test
    void aQmailInjectThatFailsSaysWhyAndOneThatNeverReadsItsInputCannotStallTheWrite(@TempDir Path dir) throws Exception {
        Path inject = dir.resolve("inject");
        Files.writeString(inject, "#!/bin/sh\necho \"queue locked\" >&2\nexit 3\n");
        inject.toFile().setExecutable(true);
        Submission.Result result = Submission.mail(inject, "from@x.test", "to@y.test", new byte[1_000_000],
                java.time.Duration.ofSeconds(10));
        assertThat(result).isEqualTo(new Submission.Result(false, "qmail-inject exited 3: queue locked"));
        Path got = dir.resolve("got");
        Files.writeString(inject, "#!/bin/sh\necho \"$@\" > " + got + "\ncat >> " + got + "\n");
        assertThat(Submission.mail(inject, "from@x.test", "to@y.test", "hello\n".getBytes(), java.time.Duration.ofSeconds(10)))
                .isEqualTo(new Submission.Result(true, "handed to qmail-inject"));
        assertThat(Files.readString(got)).isEqualTo("-a -ffrom@x.test to@y.test\nhello\n");
    }
}
