package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' contract with qmail-rspawn: exit 111 (temporary) whenever the JVM cannot run the program,
 * never another non-zero status (that would bounce the mail), and nothing on stderr.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    @TempDir
    Path dir;

    private record Result(int status, String stdout, String stderr) {
    }

    private Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    private List<String> qmailRemote(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin/qmail-remote").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void aJvmThatCannotStartIsATemporaryFailure() throws Exception {
        Result r = run(qmailRemote("example.test", "a@b", "c@d"), Map.of("QREMOTE_JAVA_OPTIONS", "-Xmx1k"));
        assertThat(r).isEqualTo(new Result(111, "", ""));
    }

    /**
     * Options that make the JVM run no program and exit 0 (a banner, help, a CDS dump, a dry run) would end a
     * delivery with no report and status 0: refused with 111, as qmail-rspawn's launcher refuses its own (fresh7 L5).
     */
    @Test
    void optionsThatRunNoProgramAreATemporaryFailure() throws Exception {
        for (String option : List.of("-version", "-Xshare:dump", "--dry-run", "-help", "--list-modules")) {
            Result r = run(qmailRemote("example.test", "a@b", "c@d"), Map.of("QREMOTE_JAVA_OPTIONS", "-Xss1m " + option));
            assertThat(r).as(option).isEqualTo(new Result(111, "", ""));
        }
    }

    @Test
    void noJavaAtAllIsATemporaryFailure() throws Exception {
        Result r = run(qmailRemote("example.test", "a@b", "c@d"), Map.of("JAVA_HOME", "/nonexistent", "PATH", "/nonexistent"));
        assertThat(r).isEqualTo(new Result(111, "", ""));
    }

    /** Without fd 0 the JVM would read one of its own files as the message: 111, never a report. */
    @Test
    void aClosedStdinIsATemporaryFailure() throws Exception {
        Result r = run(List.of("/bin/sh", "-c", "exec \"$0\" example.test a@b c@d <&-",
                ROOT.resolve("bin/qmail-remote").toString()), Map.of());
        assertThat(r).isEqualTo(new Result(111, "", ""));
    }

    @Test
    void aMissingProgramIsATemporaryFailure() throws Exception {
        Result r = run(qmailRemote("example.test", "a@b", "c@d"), Map.of("QREMOTE_JAR", dir.resolve("none.jar").toString()));
        assertThat(r).isEqualTo(new Result(111, "", ""));
    }

    @Test
    void theInstalledLauncherRunsTheProgram() throws Exception {
        Path home = dir.resolve("qmail");
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/qmail-remote"), "#!/bin/sh\necho classic\n");
        Result install = run(List.of(ROOT.resolve("bin/install").toString(), home.toString()), Map.of());
        assertThat(install.status()).as(install.stderr()).isZero();
        assertThat(home.resolve("bin/qmail-remote.classic")).hasContent("#!/bin/sh\necho classic");

        Result r = run(List.of(home.resolve("bin/qmail-remote").toString(), "too", "few"), Map.of("PATH", "/usr/bin:/bin"));
        assertThat(r).isEqualTo(new Result(0, "DI (qmail-remote) was invoked improperly. (#5.3.5)\n\0", ""));
        if (run(List.of("/bin/sh", "-c", "command -v cc || command -v gcc"), Map.of()).status() == 0) {
            for (String program : List.of("qmail-remote", "qmail-rspawn")) { // qmail's hier.c; "make check"
                assertThat(java.nio.file.Files.getPosixFilePermissions(home.resolve("bin").resolve(program)))
                        .as(program).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            }
        }

        for (String page : List.of("qmail-remote.8", "qmail-rspawn.8", "qmail-remote-check.8", "tlsrpt.8")) {
            assertThat(home.resolve("man/man8").resolve(page)).as("installed where qmail keeps its pages")
                    .hasSameTextualContentAs(ROOT.resolve("man").resolve(page));
        }
        Files.createDirectories(home.resolve("control"));
        Result tlsrpt = run(List.of(home.resolve("bin/tlsrpt").toString()), Map.of("PATH", "/usr/bin:/bin"));
        assertThat(tlsrpt.status()).as("installed tlsrpt without control/tlsrptspool: " + tlsrpt.stderr()).isEqualTo(2);
        assertThat(tlsrpt.stderr()).contains("control/tlsrptspool is missing or empty");
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Result check = run(List.of(home.resolve("bin/qmail-remote-check").toString()), Map.of("PATH", "/usr/bin:/bin"));
        assertThat(check.stdout()).as(check.stderr()).startsWith("control files in " + home.resolve("control") + ":\nno problems\n")
                .endsWith("result: no problems\n");
        assertThat(check.status()).isZero();

        // a broken install is a temporary failure, as the launcher's own: C qmail-rspawn bounces on 126 or 127
        Path script = home.resolve("lib/qremote/qmail-remote.sh");
        Files.move(script, home.resolve("lib/qremote/moved.sh"));
        assertThat(run(List.of(home.resolve("bin/qmail-remote").toString(), "example.test", "a@b", "c@d"),
                Map.of("PATH", "/usr/bin:/bin"))).isEqualTo(new Result(111, "", ""));
        Files.move(home.resolve("lib/qremote/moved.sh"), script);

        Result again = run(List.of(ROOT.resolve("bin/install").toString(), home.toString()), Map.of());
        assertThat(again.status()).isZero();
        assertThat(home.resolve("bin/qmail-remote.classic")).as("a reinstall keeps the classic program")
                .hasContent("#!/bin/sh\necho classic");
    }

    @Test
    void eightBitArgumentsArriveByteForByte() throws Exception {
        try (dev.qremote.fakemx.SmtpServer mx = dev.qremote.fakemx.SmtpServer.start(
                java.net.InetAddress.getLoopbackAddress(), 0,
                dev.qremote.fakemx.SmtpScript.builder().extensions("PIPELINING", "SMTPUTF8").build())) {
            Path home = dir.resolve("qmail8");
            Files.createDirectories(home.resolve("control"));
            Files.writeString(home.resolve("control/me"), "sender.test\n");
            Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + mx.address().getPort() + "\n");
            // qmail-rspawn's environment has no locale: Java alone would turn these bytes into '?'
            Result r = run(List.of("/bin/sh", "-c", "printf 'Subject: x\\n\\nhi\\n' | exec env -i PATH=/usr/bin:/bin"
                    + " QMAILHOME=" + home + " " + ROOT.resolve("bin/qmail-remote")
                    + " example.test \"$(printf 'j\\303\\266rg@sender.test')\" \"$(printf 'm\\344x@example.test')\""), Map.of());
            assertThat(r.stdout()).startsWith("r\0K127.0.0.1 accepted message.");
            mx.awaitIdle(java.time.Duration.ofSeconds(5));
            var m = mx.messages().get(0);
            assertThat(m.mailFrom()).as("UTF-8: SMTPUTF8, unquoted").isEqualTo("j\u00c3\u00b6rg@sender.test");
            assertThat(m.mailParameters()).contains("SMTPUTF8");
            assertThat(m.rcptTo()).as("Latin-1: quoted, as classic qmail").containsExactly("\"m\u00e4x\"@example.test");
        }
    }

    /**
     * Control files are bytes. Under qmail-rspawn's empty locale Java names files in ASCII: a UTF-8 name
     * threw InvalidPathException (the check died with a stack trace, qmail-remote "failed unexpectedly");
     * under UTF-8 it was encoded twice (a CA file that exists was missing, the delivery log went to a
     * mangled name). Now the bytes name the file in either locale, and a name the locale cannot carry is a
     * problem with its line.
     */
    /**
     * qmail-remote runs as qmailr: a control/tlshosts that user cannot search makes every delivery require TLS
     * with a CA file it cannot read (it defers), and the check, run as that user, says so (fresh-eyes 7 M3).
     * Needs root and runuser to be another user; skipped, saying so, otherwise.
     */
    @Test
    void aTlshostsDirectoryThisUserCannotSearchIsAProblem() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and /usr/sbin/runuser to run as nobody");
        Process reach = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "/bin/sh", "-c",
                "test -x \"$0\" && test -r \"$1\"", ROOT.resolve("bin/qmail-remote-check").toString(),
                ROOT.resolve("sender/target/qmail-remote.jar").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(reach.waitFor(30, TimeUnit.SECONDS) && reach.exitValue() == 0,
                "nobody cannot run this checkout's bin/qmail-remote-check (a directory on its path is closed to it)");
        Path open = Files.createTempDirectory(Path.of("/tmp"), "qremote-nobody");
        try {
            Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path home = open.resolve("qmail");
            Files.createDirectories(home.resolve("control/tlshosts"));
            Files.writeString(home.resolve("control/me"), "sender.test\n");
            Files.writeString(home.resolve("control/tlshosts/mx.example.test.pem"), "not read\n");
            Files.setPosixFilePermissions(home.resolve("control/tlshosts"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Result check = run(List.of("/usr/sbin/runuser", "-u", "nobody", "--", "env", "-i", "PATH=/usr/bin:/bin",
                    "QMAILHOME=" + home, ROOT.resolve("bin/qmail-remote-check").toString()), Map.of());
            assertThat(check.stderr()).isEmpty();
            assertThat(check.stdout()).contains("problem: control/tlshosts cannot be listed by this user"
                    + " (AccessDeniedException): a delivery as this user requires TLS for any MX whose file it cannot"
                    + " look at, and defers when that CA file cannot be read (#4.3.0)\n");
            assertThat(check.status()).isEqualTo(1);
        } finally {
            try (var walk = Files.walk(open)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void eightBitFileNamesInControlFilesAreTheirBytesInEitherLocale() throws Exception {
        try (dev.qremote.fakemx.SmtpServer mx = dev.qremote.fakemx.SmtpServer.start(
                java.net.InetAddress.getLoopbackAddress(), 0, dev.qremote.fakemx.SmtpScript.polite())) {
            int n = 0;
            for (String locale : List.of("env -i PATH=/usr/bin:/bin", "env -i PATH=/usr/bin:/bin LANG=C.UTF-8")) {
                Path home = dir.resolve("qmail-names" + n++);
                Files.createDirectories(home.resolve("control"));
                Files.createDirectories(home.resolve("log"));
                Files.writeString(home.resolve("control/me"), "sender.test\n");
                Files.writeString(home.resolve("control/dnssec"), "off\n");
                Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + mx.address().getPort() + "\n");
                Files.write(home.resolve("control/deliverylog"), "log/d\303\251livery.json\n".getBytes(StandardCharsets.ISO_8859_1));
                Result r = run(List.of("/bin/sh", "-c", "printf 'Subject: x\\n\\nhi\\n' | exec " + locale + " QMAILHOME=" + home
                        + " " + ROOT.resolve("bin/qmail-remote") + " example.test a@sender.test b@example.test"), Map.of());
                assertThat(r.stdout()).as(locale).startsWith("r\0K127.0.0.1 accepted message.");
                try (var names = Files.list(home.resolve("log"))) {
                    // this JVM runs under UTF-8: the name is the bytes d 0xc3 0xa9 livery.json
                    assertThat(names.map(f -> f.getFileName().toString()).toList()).as(locale)
                            .containsExactly("d\u00e9livery.json");
                }
                Files.delete(home.resolve("control/deliverylog"));
                Files.writeString(home.resolve("c\u00e1.pem"), "not a certificate\n");
                Files.write(home.resolve("control/domaincerts"), ("a.test:c\303\241.pem\nb.test:"
                        + "c\351.pem\n").getBytes(StandardCharsets.ISO_8859_1));
                Result check = run(List.of("/bin/sh", "-c", "printf x > " + home + "/c$(printf '\\351').pem; exec " + locale
                        + " QMAILHOME=" + home + " " + ROOT.resolve("bin/qmail-remote-check")), Map.of());
                assertThat(check.stderr()).as(locale).isEmpty();
                assertThat(check.stdout()).as(locale).contains("problem: control/domaincerts line 1: the certificate"
                        + " c\u00c3\u00a1.pem cannot be loaded: it holds no PEM certificate that can be read\n",
                        "problem: control/domaincerts line 2: the certificate c\u00e9.pem cannot be loaded: its bytes"
                        + " cannot be a file name in this locale's character set\n", "result: 2 problems\n");
                assertThat(check.status()).isEqualTo(1);
            }
        }
    }

    /**
     * The per-process path pays for every class and bootstrap it touches. A record's own equals, hashCode
     * or toString is bootstrapped through invokedynamic (java.lang.runtime.ObjectMethods), about 20 ms in a
     * fresh JVM: once a record became a map key, every delivery paid it. The message is also checked whole
     * (the launcher once handed the JVM /dev/null instead of the message).
     */
    @Test
    void aPlainDeliveryBootstrapsNoRecordMethods() throws Exception {
        try (dev.qremote.fakemx.SmtpServer mx = dev.qremote.fakemx.SmtpServer.start(
                java.net.InetAddress.getLoopbackAddress(), 0, dev.qremote.fakemx.SmtpScript.polite())) {
            Path home = dir.resolve("qmail-classes");
            Files.createDirectories(home.resolve("control"));
            Files.writeString(home.resolve("control/me"), "sender.test\n");
            Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + mx.address().getPort() + "\n");
            Path message = dir.resolve("message");
            Files.writeString(message, "Subject: x\n\nhi\n");
            Path loaded = dir.resolve("classes.log");
            ProcessBuilder builder = new ProcessBuilder(qmailRemote("example.test", "a@sender.test", "b@example.test"))
                    .redirectInput(message.toFile()).redirectOutput(dir.resolve("out").toFile());
            builder.environment().put("QMAILHOME", home.toString());
            builder.environment().put("QREMOTE_JAVA_OPTIONS", "-Xlog:class+load:file=" + loaded);
            Process p = builder.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("out"), StandardCharsets.ISO_8859_1))
                    .startsWith("r\0K127.0.0.1 accepted message.");
            mx.awaitIdle(java.time.Duration.ofSeconds(5));
            assertThat(mx.messages().get(0).dataText()).isEqualTo("Subject: x\r\n\r\nhi\r\n");
            assertThat(Files.readAllLines(loaded)).as("classes loaded")
                    .noneMatch(line -> line.contains("java.lang.runtime.ObjectMethods "));
        }
    }

    /**
     * The JDK reports the position of a descriptor opened for appending as the file's size: stdin opened
     * with O_APPEND looked like a message already read to its end, and an empty message went out with a K.
     * Here stdin is write-only (the shell's 0>>), so the message cannot be read at all: a Z, never a K.
     */
    @Test
    void stdinOpenedForAppendingIsNeverAnEmptyMessage() throws Exception {
        try (dev.qremote.fakemx.SmtpServer mx = dev.qremote.fakemx.SmtpServer.start(
                java.net.InetAddress.getLoopbackAddress(), 0, dev.qremote.fakemx.SmtpScript.polite())) {
            Path home = dir.resolve("qmail-append");
            Files.createDirectories(home.resolve("control"));
            Files.writeString(home.resolve("control/me"), "sender.test\n");
            Files.writeString(home.resolve("control/smtproutes"), ":[127.0.0.1]:" + mx.address().getPort() + "\n");
            Path message = dir.resolve("appended");
            Files.writeString(message, "Subject: x\n\nhi\n");
            Result r = run(List.of("/bin/sh", "-c", "exec \"$0\" example.test a@sender.test b@example.test 0>>\"$1\"",
                    ROOT.resolve("bin/qmail-remote").toString(), message.toString()), Map.of("QMAILHOME", home.toString()));
            assertThat(r.stdout()).doesNotContain("K").contains("ZUnable to read message.");
            assertThat(mx.messages()).isEmpty();
        }
    }
}
