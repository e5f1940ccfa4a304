package dev.qremote.sender.check;

import dev.qremote.sender.machine.Knobs;
import dev.qremote.sender.machine.SystemContext;
import dev.qremote.sender.machine.TimeoutTimers;
import dev.qremote.sender.settings.ControlSnapshot;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * {@code qmail-remote-check [DOMAIN [SENDER]]}: every problem in the control files (file, line, why), then,
 * with a domain, what a delivery there would do (nothing is sent), and whether the launcher's Java starts.
 * A front end for operators, not qmail-remote: it prints freely. Exit 0: no problem; 1: problems; 2: the
 * check itself cannot run (no qmail home, no control directory, bad arguments or environment).
 */
public final class Main {
    static final int CLEAN = 0;
    static final int PROBLEMS = 1;
    static final int UNUSABLE = 2;
    private static final String PROBLEM = "problem: ";

    private Main() {
    }

    public static void main(String[] args) {
        // the arguments as their bytes, one char per byte, as qmail-remote takes them (and control files are
        // read); printed back as those bytes, so that a UTF-8 domain shows as it was typed
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        System.exit(run(dev.qremote.sender.machine.RawArguments.of(args), System.getenv(), out, System.err, ownJar()));
    }

    /** The check; {@code ownJar}: this program's jar (or classes), for the Java probe. Returns the exit status. */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Path ownJar) {
        if (args.size() > 2 || !args.isEmpty() && (args.get(0).isEmpty() || args.get(0).startsWith("-"))) {
            err.println("usage: qmail-remote-check [DOMAIN [SENDER]]");
            return UNUSABLE;
        }
        Knobs knobs;
        try {
            knobs = Knobs.from(env);
        } catch (IllegalArgumentException e) {
            err.println("qmail-remote-check: " + e.getMessage());
            return UNUSABLE;
        }
        Path home = knobs.qmailHome();
        if (!Files.isDirectory(home)) {
            err.println("qmail-remote-check: " + home + " is not a directory: no qmail home (QMAILHOME)");
            return UNUSABLE;
        }
        if (!Files.isDirectory(home.resolve("control"))) {
            err.println("qmail-remote-check: " + home.resolve("control") + " is not a directory");
            return UNUSABLE;
        }
        if (!Files.isExecutable(home.resolve("control"))) {
            // every file would look unreadable or missing: one cause, not a problem per file
            err.println("qmail-remote-check: " + home.resolve("control") + " cannot be searched by this user, so no"
                    + " file in it can be read: run the check as qmailr (su -s /bin/sh qmailr -c ...) or as root");
            return UNUSABLE;
        }
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        List<String> lines = new ArrayList<>();
        lines.add("control files in " + home.resolve("control") + ":");
        List<String> problems;
        try {
            problems = ControlCheck.problems(snapshot);
        } catch (RuntimeException e) {
            // never a stack trace in place of the report: what was found so far is printed, and this is a problem
            problems = List.of("the check itself failed unexpectedly (" + e.getClass().getSimpleName() + ")");
        }
        for (String problem : problems) {
            lines.add(PROBLEM + problem);
        }
        if (problems.isEmpty()) {
            lines.add("no problems");
        }
        if (!args.isEmpty()) {
            ScheduledThreadPoolExecutor timer = TimeoutTimers.create("qremote-check-timeouts");
            try {
                SystemContext context = new SystemContext(knobs, timer, Optional.empty());
                lines.addAll(new DeliveryExplanation(snapshot, knobs, context)
                        .explain(args.get(0), args.size() > 1 ? args.get(1) : "postmaster@" + args.get(0)));
            } catch (RuntimeException e) {
                lines.add(PROBLEM + "the explanation failed unexpectedly (" + e.getClass().getSimpleName() + ")");
            } finally {
                timer.shutdownNow();
            }
        }
        lines.addAll(new JavaProbe(env, home, ownJar).run());
        int count = 0;
        for (String line : lines) {
            out.println(visible(line));
            count += line.startsWith(PROBLEM) ? 1 : 0;
        }
        out.println(count == 0 ? "result: no problems" : "result: " + count + (count == 1 ? " problem" : " problems"));
        return count == 0 ? CLEAN : PROBLEMS;
    }

    /**
     * Control bytes from control files or arguments shown as \xNN: an ESC sequence must not reach the
     * operator's terminal (a line is one line; a control file may hold anything). Bytes above 127 stay:
     * they are parts of UTF-8 characters, printed back as the bytes they were.
     */
    static String visible(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Path ownJar() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("qmail-remote.jar");
        }
    }
}
