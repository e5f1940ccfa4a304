package dev.qremote.sender.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the launcher (bin/qmail-remote) can start its JVM: the same java (JAVA_HOME's when executable,
 * else the first on PATH; an installed launcher's own JAVA_HOME default first), the same options and
 * QREMOTE_JAVA_OPTIONS, and the same jar. When it cannot, every delivery ends with the launcher's exit 111,
 * which qmail-rspawn reports as "Unable to run qmail-remote."; this says why.
 */
final class JavaProbe {
    /** bin/qmail-remote's fixed JVM options before QREMOTE_JAVA_OPTIONS; a test compares them with the script. */
    static final List<String> LAUNCHER_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:+DisplayVMOutputToStderr", "-XX:+SuppressFatalErrorMessage", "-Xlog:disable", "-Xlog:all=off",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xss512k", "-Xmx96m");
    /**
     * QREMOTE_JAVA_OPTIONS words the launcher refuses with 111 (a '*' at the end: any word starting so): with them
     * the JVM runs no delivery and exits 0. A test compares them with the script's case pattern.
     */
    static final List<String> REFUSED_OPTIONS = List.of("-version", "--version", "--show-version", "-help", "--help",
            "-h", "-?", "-X", "--help-extra", "--list-modules", "--dry-run", "--validate-modules", "-d",
            "--describe-module*", "-Xshare:dump", "-XX:StartFlightRecording*");
    /** The option the launcher puts after QREMOTE_JAVA_OPTIONS. */
    static final String LAST_OPTION = "-Xlog:all=off:stdout";
    static final String OPTIONS_VARIABLE = "QREMOTE_JAVA_OPTIONS";
    private static final long PROBE_SECONDS = 30;
    /** The lines bin/install writes into QMAILHOME/bin/qmail-remote. */
    private static final Pattern INSTALLED_JAVA_HOME = Pattern.compile("(?m)^JAVA_HOME=\\$\\{JAVA_HOME:-(.*)}$");
    private static final Pattern INSTALLED_JAR = Pattern.compile("(?m)^QREMOTE_JAR=(.*)$");

    private final Map<String, String> env;
    private final Path qmailHome;
    private final Path ownJar;

    /** {@code ownJar}: where this program's classes are, the jar when no launcher names one. */
    JavaProbe(Map<String, String> env, Path qmailHome, Path ownJar) {
        this.env = env;
        this.qmailHome = qmailHome;
        this.ownJar = ownJar;
    }

    /** Lines for the report; a line starting with "problem: " counts as a problem. */
    List<String> run() {
        List<String> out = new ArrayList<>();
        Optional<String> installed = installedLauncher();
        String javaHome = env.get("JAVA_HOME");
        String javaHomeFrom = "JAVA_HOME";
        if ((javaHome == null || javaHome.isEmpty()) && installed.isPresent()) {
            Matcher m = INSTALLED_JAVA_HOME.matcher(installed.get());
            if (m.find()) {
                javaHome = m.group(1);
                javaHomeFrom = "the JAVA_HOME written into " + qmailHome.resolve("bin/qmail-remote");
            }
        }
        Path java = null;
        String javaFrom = null;
        if (javaHome != null && !javaHome.isEmpty()) {
            Path candidate = Path.of(javaHome, "bin", "java");
            if (Files.isExecutable(candidate)) {
                java = candidate;
                javaFrom = javaHomeFrom;
            } else {
                out.add("java: " + javaHomeFrom + " is " + javaHome + ", which has no executable bin/java:"
                        + " the launcher takes java from PATH instead");
            }
        }
        if (java == null) {
            java = onPath().orElse(null);
            javaFrom = "PATH";
        }
        if (java == null) {
            out.add("problem: java: no java found (JAVA_HOME unusable, none on PATH): the launcher exits 111 and"
                    + " every delivery is deferred with \"Unable to run qmail-remote.\"");
            return out;
        }
        Path jar = jar(installed);
        if (!Files.isReadable(jar)) {
            out.add("problem: java: the jar " + jar + " is not readable: the launcher exits 111 and every delivery"
                    + " is deferred with \"Unable to run qmail-remote.\"");
            return out;
        }
        String extra = env.getOrDefault(OPTIONS_VARIABLE, "");
        Optional<String> refused = refused(extra);
        if (refused.isPresent()) {
            out.add("problem: java: " + OPTIONS_VARIABLE + "=" + extra + " holds " + refused.get() + ", with which the"
                    + " JVM runs no delivery (it prints or dumps something and exits): the launcher refuses it, exits"
                    + " 111 and every delivery is deferred with \"Unable to run qmail-remote.\"");
            return out;
        }
        Result withOptions = start(java, jar, extra);
        if (withOptions.status == 0) {
            out.add("java: " + java + " (from " + javaFrom + ") starts with the launcher's options"
                    + (extra.isBlank() ? "" : " and " + OPTIONS_VARIABLE + "=" + extra));
            return out;
        }
        out.add("problem: java: " + java + " (from " + javaFrom + ") does not start with the launcher's options"
                + (extra.isBlank() ? "" : " and " + OPTIONS_VARIABLE + "=" + extra) + ": " + withOptions.describe());
        if (!extra.isBlank()) {
            Result without = start(java, jar, "");
            out.add(without.status == 0
                    ? "java: it starts without " + OPTIONS_VARIABLE + ": the cause is " + OPTIONS_VARIABLE + "=" + extra
                    : "java: it does not start without " + OPTIONS_VARIABLE + " either: the JVM itself is broken");
        } else {
            out.add("java: the JVM itself is broken (" + javaFrom + ")");
        }
        out.add("java: so the launcher exits 111 and every delivery is deferred with \"Unable to run qmail-remote.\"");
        return out;
    }

    /** The first word of {@code options} the launcher refuses. */
    static Optional<String> refused(String options) {
        for (String word : options.trim().split("[ \t\n]+")) {
            for (String pattern : REFUSED_OPTIONS) {
                if (pattern.endsWith("*") ? word.startsWith(pattern.substring(0, pattern.length() - 1)) : word.equals(pattern)) {
                    return Optional.of(word);
                }
            }
        }
        return Optional.empty();
    }

    /** The text of an installed launcher (bin/install's), when QMAILHOME/bin/qmail-remote is one. */
    private Optional<String> installedLauncher() {
        Path launcher = qmailHome.resolve("bin/qmail-remote");
        try {
            if (Files.isRegularFile(launcher) && Files.size(launcher) < 65536) {
                String text = Files.readString(launcher, StandardCharsets.ISO_8859_1);
                if (text.contains("qremote launcher")) {
                    return Optional.of(text);
                }
            }
        } catch (IOException e) {
            // not readable: as if it were not there
        }
        return Optional.empty();
    }

    private Path jar(Optional<String> installed) {
        String jar = env.get("QREMOTE_JAR");
        if (jar != null && !jar.isEmpty()) {
            return Path.of(jar);
        }
        if (installed.isPresent()) {
            Matcher m = INSTALLED_JAR.matcher(installed.get());
            if (m.find()) {
                return Path.of(m.group(1));
            }
        }
        return ownJar;
    }

    /** The shell's "command -v java": the first executable java in PATH. */
    private Optional<Path> onPath() {
        for (String dir : env.getOrDefault("PATH", "").split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "java");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Result start(Path java, Path jar, String extraOptions) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(LAUNCHER_OPTIONS);
        for (String word : extraOptions.trim().split("[ \t\n]+")) {
            if (!word.isEmpty()) {
                command.add(word); // the launcher's unquoted ${QREMOTE_JAVA_OPTIONS:-} splits the same way
            }
        }
        command.add(LAST_OPTION);
        command.add("-cp");
        command.add(jar.toString());
        command.add(StartProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readNBytes(4096);
            }
            if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "it did not finish within " + PROBE_SECONDS + " seconds");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "it cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** A probe's exit status and what the JVM said. */
    private record Result(int status, String output) {
        String describe() {
            String said = String.join(" / ", output.strip().lines().limit(3).toList());
            return (status < 0 ? "" : "exit status " + status + (said.isEmpty() ? "" : ", ")) + said;
        }
    }
}
