package dev.qremote.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's first command: one delivery through bin/qmail-remote to a fake mail exchanger found through
 * the fake DNS, printing the reports (NUL made visible) and the SMTP transcript.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        SenderCommand command = SenderCommand.configured(Path.of(""));
        try (Bench bench = new Bench()) {
            bench.control("me", "sender.test\n");
            bench.zone().mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.2");
            bench.exchanger("127.0.0.2");
            String message = "From: alice@sender.test\nTo: bob@example.test\nSubject: hello from qremote\n\n"
                    + "Hi Bob,\n.a line that starts with a dot\nBye.\n";
            List<String> argv = List.of("example.test", "alice@sender.test", "bob@example.test");
            System.out.println("$ " + command.path() + " " + String.join(" ", argv) + " < message");
            SenderRun run = bench.deliver(command, argv, message.getBytes(StandardCharsets.ISO_8859_1));
            System.out.println("\nreports (one per line, NUL shown as \\0):");
            System.out.print(run.visibleReports());
            System.out.println("\nexit status " + run.exitStatus() + ", stderr "
                    + (run.stderr().length == 0 ? "empty" : ReportText.visible(run.stderr())));
            System.out.println("\nSMTP transcript (C: qmail-remote, S: fake MX):");
            System.out.print(bench.transcripts());
        }
    }
}
