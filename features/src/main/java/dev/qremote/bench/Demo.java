package dev.qremote.bench;

import dev.qremote.fakedns.Exchange;
import dev.qremote.fakemx.SmtpServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The README's first command. Without an argument: one delivery through bin/qmail-remote to a fake mail
 * exchanger found through the fake DNS, printing the reports (NUL made visible) and the SMTP transcript.
 * With {@code --list}: the teaching scenarios, one a line. With a scenario's name: its deliveries, each with
 * its reports, then the DNS questions and answers (with the AD bit) and the transcripts, annotated with the
 * RFC section behind each step that happened. Exit status 2 for an unknown scenario.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err, SenderCommand.configured(Path.of("")));
        if (status != 0) {
            System.exit(status);
        }
    }

    /** What main does, to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, SenderCommand command) throws Exception {
        if (args.length == 0) {
            classic(out, command);
            return 0;
        }
        if (args.length == 1 && args[0].equals("--list")) {
            for (DemoScenario s : DemoScenarios.all()) {
                out.printf("%-15s %s%n", s.name(), s.summary());
            }
            return 0;
        }
        Optional<DemoScenario> scenario = args.length == 1 ? DemoScenarios.named(args[0]) : Optional.empty();
        if (scenario.isEmpty()) {
            err.println("usage: bin/demo [--list | SCENARIO]; scenarios: "
                    + String.join(" ", DemoScenarios.all().stream().map(DemoScenario::name).toList()));
            return 2;
        }
        annotated(scenario.get(), out, command);
        return 0;
    }

    private static void classic(PrintStream out, SenderCommand command) throws Exception {
        try (Bench bench = new Bench()) {
            bench.control("me", "sender.test\n");
            bench.zone().mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.2");
            bench.exchanger("127.0.0.2");
            List<String> argv = DemoScenario.ARGS;
            out.println("$ " + command.path() + " " + String.join(" ", argv) + " < message");
            SenderRun run = bench.deliver(command, argv, DemoScenario.MESSAGE);
            out.println("\nreports (one per line, NUL shown as \\0):");
            out.print(run.visibleReports());
            out.println("\nexit status " + run.exitStatus() + ", stderr "
                    + (run.stderr().length == 0 ? "empty" : ReportText.visible(run.stderr())));
            out.println("\nSMTP transcript (C: qmail-remote, S: fake MX):");
            out.print(bench.transcripts());
        }
    }

    private static void annotated(DemoScenario scenario, PrintStream out, SenderCommand command) throws Exception {
        out.println("scenario " + scenario.name() + ": " + scenario.summary());
        List<SenderRun> runs = new ArrayList<>();
        try (Bench bench = new Bench()) {
            bench.control("me", "sender.test\n");
            DemoScenarios.trustAd(bench);
            String[] shown = {ControlNotes.render(bench.qmailHome())};
            out.println("\ncontrol files (a route's password shown as [password]):");
            out.print(shown[0]);
            scenario.body().run(bench, (why, argv, message) -> {
                out.println();
                if (why != null) {
                    out.println("# " + why);
                }
                String now = ControlNotes.render(bench.qmailHome());
                if (!now.equals(shown[0])) {
                    // the scenario changed them: the set-up this delivery runs under
                    out.println("control files now:");
                    out.print(now);
                    shown[0] = now;
                }
                out.println("$ " + command.path() + " " + String.join(" ", argv) + " < message");
                SenderRun run = bench.deliver(command, argv, message);
                runs.add(run);
                out.println("\nreports (one per line, NUL shown as \\0):");
                out.print(ReportNotes.render(run.stdout()));
                out.println("exit status " + run.exitStatus() + ", stderr "
                        + (run.stderr().length == 0 ? "empty" : ReportText.visible(run.stderr())));
                return run;
            });
            List<Exchange> exchanges = bench.dns().exchanges();
            out.println("\nDNS questions to the fake DNS and its answers (AD: the DNSSEC bit the sender trusts here):");
            out.print(exchanges.isEmpty() ? "(none)\n" : DnsNotes.render(exchanges));
            String reports = String.join("", runs.stream()
                    .map(r -> new String(r.stdout(), StandardCharsets.ISO_8859_1)).toList());
            TranscriptNotes notes = new TranscriptNotes(ReportNotes.dane(reports), DnsNotes.tlsaParameters(exchanges));
            out.println("\nTranscript (C: qmail-remote, S: fake server; <- what the step is, and where it is specified):");
            boolean any = false;
            for (var entry : bench.exchangers().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey()).toList()) {
                SmtpServer server = entry.getValue();
                int n = 0;
                for (var t : server.transcripts()) {
                    out.println("== " + entry.getKey() + " session " + ++n + " (SMTP)");
                    out.print(notes.smtp(t));
                    any = true;
                }
            }
            for (var entry : bench.qmtpServers().entrySet()) {
                int n = 0;
                for (var t : entry.getValue().transcripts()) {
                    out.println("== " + entry.getKey() + " session " + ++n + " (QMTP)");
                    out.print(notes.qmtp(t));
                    any = true;
                }
            }
            if (!any) {
                out.println("(no connection was made)");
            }
        }
    }
}
