package dev.qremote.sender.tlsrptcli;

import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnsjavaResolver;
import dev.qremote.sender.machine.Knobs;
import dev.qremote.sender.tlsrpt.DailyReport;
import dev.qremote.sender.tlsrpt.Json;
import dev.qremote.sender.tlsrpt.ReportMail;
import dev.qremote.sender.tlsrpt.RuaRecord;
import dev.qremote.sender.tlsrpt.SessionOutcome;
import dev.qremote.sender.tlsrpt.Spool;
import dev.qremote.sender.tlsrpt.Submission;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * bin/tlsrpt [DAY]: the TLS reports (RFC 8460) of one UTC day (default: yesterday), one per policy domain
 * in control/tlsrptspool's file of that day, each sent to the rua addresses the domain publishes at
 * _smtp._tls.DOMAIN: mailto: through qmail-inject, https: by POST. What was sent is noted in DAY.sent in the
 * spool, so a second run the same day sends nothing twice. Prints one line per domain and address on
 * stdout, problems on stderr. Exit 0 when everything that could be sent went, 1 when something did not
 * (a DNS failure, a refused hand-over), 2 when it cannot run (no spool named, no control/me, a bad day).
 */
public final class Main {
    /** How long one DNS question, one connection, one POST and one qmail-inject may take. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
    }

    /** The whole run; environment, streams and clock given, for tests. Returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        Knobs knobs;
        LocalDate day;
        try {
            knobs = Knobs.from(env);
            day = args.length > 0 ? LocalDate.parse(args[0]) : LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("tlsrpt: " + e.getMessage() + " (usage: tlsrpt [YYYY-MM-DD])");
            return 2;
        }
        Path home = knobs.qmailHome();
        Optional<String> spoolName = line(home, "tlsrptspool");
        Optional<String> me = line(home, "me");
        if (spoolName.isEmpty() || me.isEmpty()) {
            err.println("tlsrpt: control/" + (spoolName.isEmpty() ? "tlsrptspool" : "me") + " is missing or empty");
            return 2;
        }
        Path spool = home.resolve(spoolName.get());
        String submitter = me.get();
        String organization = line(home, "tlsrptorg").orElse(submitter);
        String contact = line(home, "tlsrptcontact").orElse("postmaster@" + submitter);
        String from = line(home, "tlsrptfrom").orElse("postmaster@" + submitter);
        Optional<Path> ca = line(home, "tlsrptca").map(home::resolve);
        Path inject = Path.of(env.getOrDefault("QREMOTE_TLSRPT_INJECT", home.resolve("bin/qmail-inject").toString()));
        List<SessionOutcome> sessions;
        Set<String> sentBefore;
        try {
            sessions = Spool.read(spool, day);
            Path sent = spool.resolve(day + ".sent");
            sentBefore = Files.exists(sent) ? new HashSet<>(Files.readAllLines(sent, StandardCharsets.UTF_8)) : Set.of();
        } catch (IOException e) {
            err.println("tlsrpt: cannot read the spool: " + e.getMessage());
            return 2;
        }
        Map<String, List<SessionOutcome>> byDomain = new LinkedHashMap<>();
        for (SessionOutcome s : sessions) {
            byDomain.computeIfAbsent(s.policy().domain().toLowerCase(Locale.ROOT), d -> new ArrayList<>()).add(s);
        }
        DnsjavaResolver dns = DnsjavaResolver.of(knobs.dnsServer(), TIMEOUT);
        HttpClient http = null;
        boolean problems = false;
        for (Map.Entry<String, List<SessionOutcome>> e : byDomain.entrySet()) {
            String domain = e.getKey();
            List<String> rua;
            try {
                DnsAnswer<String> answer = dns.txt("_smtp._tls." + domain);
                rua = answer instanceof DnsAnswer.Found<String> found ? RuaRecord.rua(found.records()) : List.of();
            } catch (DnsTemporaryException ex) {
                err.println("tlsrpt: " + domain + ": _smtp._tls TXT lookup failed: " + ex.getMessage());
                problems = true;
                continue;
            }
            if (rua.isEmpty()) {
                out.println(domain + ": publishes no TLS reporting policy; " + e.getValue().size() + " sessions not reported");
                continue;
            }
            String reportId = day + "T00:00:00Z!" + domain + "!" + submitter;
            DailyReport report = new DailyReport(day, domain, organization, contact, reportId, e.getValue());
            byte[] gzip = Submission.gzip(Json.write(report.json()));
            for (String address : rua) {
                String key = domain + " " + address;
                if (sentBefore.contains(key)) {
                    out.println(key + ": sent before");
                    continue;
                }
                Submission.Result result;
                if (address.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
                    Optional<String> mailbox = Submission.mailbox(address);
                    result = mailbox.isEmpty() ? new Submission.Result(false, "not an address that can be passed on")
                            : Submission.mail(inject, from, mailbox.get(), ReportMail.of(report, from, mailbox.get(),
                                    submitter, ZonedDateTime.now(clock), gzip), TIMEOUT);
                } else {
                    try {
                        if (http == null) {
                            http = Submission.httpClient(ca, TIMEOUT);
                        }
                        result = Submission.post(http, URI.create(address), gzip, TIMEOUT);
                    } catch (IOException | IllegalArgumentException ex) {
                        result = new Submission.Result(false, ex.getMessage());
                    }
                }
                out.println(key + ": " + (result.sent() ? "sent" : "NOT sent") + " (" + result.detail() + ")");
                problems |= !result.sent();
                if (result.sent()) {
                    try {
                        Files.writeString(spool.resolve(day + ".sent"), key + "\n", StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException ex) {
                        err.println("tlsrpt: cannot note " + key + " as sent: " + ex.getMessage());
                        problems = true;
                    }
                }
            }
        }
        return problems ? 1 : 0;
    }

    /** The first line of control/NAME, trimmed; empty when missing, unreadable or empty. */
    private static Optional<String> line(Path home, String name) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("control").resolve(name), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).strip()).filter(s -> !s.isEmpty());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
