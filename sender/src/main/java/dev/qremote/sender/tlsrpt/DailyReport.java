package dev.qremote.sender.tlsrpt;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One aggregate TLS report (RFC 8460 4): one policy domain's sessions of one UTC day, counted per policy
 * (4.4 "policies": policy, summary, failure-details), failures per result type, sending MTA address,
 * receiving MX name and address. Field names are the RFC's, exactly.
 *
 * @param day the UTC day reported (date-range from 00:00:00Z to 23:59:59Z)
 * @param domain the policy domain, A-labels
 */
public record DailyReport(LocalDate day, String domain, String organization, String contact, String reportId,
        List<SessionOutcome> sessions) {

    public DailyReport {
        sessions = List.copyOf(sessions);
    }

    /** The report as the RFC's JSON object (insertion-ordered maps and lists, for {@link Json#write}). */
    public Map<String, Object> json() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("organization-name", organization);
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("start-datetime", day + "T00:00:00Z");
        range.put("end-datetime", day + "T23:59:59Z");
        report.put("date-range", range);
        report.put("contact-info", contact);
        report.put("report-id", reportId);
        Map<TlsRptPolicy, List<SessionOutcome>> byPolicy = new LinkedHashMap<>();
        for (SessionOutcome session : sessions) {
            byPolicy.computeIfAbsent(session.policy(), p -> new ArrayList<>()).add(session);
        }
        List<Object> policies = new ArrayList<>();
        byPolicy.forEach((policy, list) -> policies.add(policyEntry(policy, list)));
        report.put("policies", policies);
        return report;
    }

    /** Seconds since the epoch at the start and the end of the day (the attachment's name, RFC 8460 5.3). */
    public long beginSeconds() {
        return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    public long endSeconds() {
        return beginSeconds() + 86_399;
    }

    private static Map<String, Object> policyEntry(TlsRptPolicy policy, List<SessionOutcome> sessions) {
        Map<String, Object> entry = new LinkedHashMap<>();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("policy-type", policy.type());
        if (!policy.policyString().isEmpty()) {
            p.put("policy-string", policy.policyString());
        }
        p.put("policy-domain", policy.domain());
        if (!policy.mxHost().isEmpty()) {
            p.put("mx-host", policy.mxHost());
        }
        entry.put("policy", p);
        long successes = sessions.stream().filter(SessionOutcome::success).count();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total-successful-session-count", successes);
        summary.put("total-failure-session-count", (long) sessions.size() - successes);
        entry.put("summary", summary);
        Map<List<String>, Long> failures = new LinkedHashMap<>();
        for (SessionOutcome s : sessions) {
            if (!s.success()) {
                failures.merge(List.of(s.result(), s.sendingIp(), s.mxHost(), s.receivingIp()), 1L, Long::sum);
            }
        }
        if (!failures.isEmpty()) {
            List<Object> details = new ArrayList<>();
            failures.forEach((key, count) -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("result-type", key.get(0));
                // optional in RFC 8460 4.4; a policy fetch failure has no MX, an unlisted MX no sending address
                putUnlessEmpty(d, "sending-mta-ip", key.get(1));
                putUnlessEmpty(d, "receiving-mx-hostname", key.get(2));
                putUnlessEmpty(d, "receiving-ip", key.get(3));
                d.put("failed-session-count", count);
                details.add(d);
            });
            entry.put("failure-details", details);
        }
        return entry;
    }

    private static void putUnlessEmpty(Map<String, Object> map, String name, String value) {
        if (!value.isEmpty()) {
            map.put(name, value);
        }
    }

    /** The RFC 8460 5.3 file name: submitter!policy-domain!begin!end.json.gz. */
    public String fileName(String submitter) {
        return Objects.requireNonNull(submitter) + "!" + domain + "!" + beginSeconds() + "!" + endSeconds() + ".json.gz";
    }
}
