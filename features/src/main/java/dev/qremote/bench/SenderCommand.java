package dev.qremote.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The qmail-remote under test, run as qmail-rspawn runs it: arguments {@code host sender recip...}, the
 * message file as stdin, stdout and stderr captured apart. By default this repository's
 * {@code bin/qmail-remote}; the system property {@code qremote.command} or the environment variable
 * {@code QREMOTE_COMMAND} names another qmail-remote-compatible command instead.
 */
public final class SenderCommand {
    /** What a wrapped command keeps of the bench's environment: enough to find programs, Java and a locale. */
    private static final Set<String> KEPT = Set.of("PATH", "JAVA_HOME", "LANG", "LC_ALL", "HOME", "TMPDIR");
    private final Path command;
    private final List<String> wrapper;

    public SenderCommand(Path command) {
        this(command, List.of());
    }

    private SenderCommand(Path command, List<String> wrapper) {
        this.command = command;
        this.wrapper = List.copyOf(wrapper);
    }

    /**
     * This command run through {@code wrapper} (a program and its first arguments, given the command and its
     * arguments next, which it ends by executing), with no environment of the bench's but {@link #KEPT} and
     * what each run names.
     */
    public SenderCommand wrapped(List<String> wrapper) {
        return new SenderCommand(command, wrapper);
    }

    /** The command named by the property or environment, else bin/qmail-remote found above {@code from}. */
    public static SenderCommand configured(Path from) {
        String named = System.getProperty("qremote.command", System.getenv("QREMOTE_COMMAND"));
        if (named != null && !named.isBlank()) {
            return new SenderCommand(Path.of(named));
        }
        for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bin/qmail-remote");
            if (Files.isExecutable(candidate)) {
                return new SenderCommand(candidate);
            }
        }
        throw new IllegalStateException("bin/qmail-remote not found above " + from);
    }

    public Path path() {
        return command;
    }

    public SenderRun run(List<String> args, Path stdin, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        return run(args, stdin, false, environment, workDir);
    }

    /** As {@link #run(List, Path, Map, Path)}; with {@code pipe}, stdin is a pipe the file is written into. */
    public SenderRun run(List<String> args, Path stdin, boolean pipe, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        return run(args, stdin, pipe, environment, workDir, process -> { });
    }

    /**
     * As {@link #run(List, Path, boolean, Map, Path)}, with {@code meanwhile} called on another thread once the
     * command has started (to signal it, say).
     */
    public SenderRun run(List<String> args, Path stdin, boolean pipe, Map<String, String> environment, Path workDir,
            java.util.function.Consumer<Process> meanwhile) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(wrapper);
        argv.add(command.toString());
        argv.addAll(args);
        Path out = Files.createTempFile(workDir, "stdout", ".bin");
        Path err = Files.createTempFile(workDir, "stderr", ".bin");
        boolean shell = pipe || Files.isDirectory(stdin);
        if (shell) {
            // the JDK refuses to open a directory as stdin; a shell does, and reading it then fails
            argv.addAll(0, List.of("/bin/sh", "-c", pipe ? "f=$1; shift; cat \"$f\" | \"$@\""
                    : "f=$1; shift; exec \"$@\" < \"$f\"", "sh", stdin.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(shell ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (!wrapper.isEmpty()) {
            builder.environment().keySet().retainAll(KEPT);
        }
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        Thread beside = new Thread(() -> meanwhile.accept(process), "sender-meanwhile");
        beside.setDaemon(true);
        beside.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within 120 seconds");
        }
        java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - started);
        return new SenderRun(Files.readAllBytes(out), Files.readAllBytes(err), process.exitValue(), elapsed);
    }
}
