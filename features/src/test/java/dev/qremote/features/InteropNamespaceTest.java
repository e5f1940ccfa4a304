package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine of the bench on real ports, as a command under test finds it: bench/interop/namespace and
 * bench/interop/deliver run for real (skipped, with the reason, where no namespace can be made here).
 */
class InteropNamespaceTest {
    private static final Path ROOT = root();

    @BeforeAll
    static void namespaceCanBeMade() throws Exception {
        Result check = run(List.of(ROOT.resolve("bench/interop/namespace").toString(), "true"));
        assumeTrue(check.status == 0, () -> "no namespace here: " + check.stderr);
    }

    @Test
    void theHomeIsVarQmailTheResolverIsLoopbackAndPort53IsOurs(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("marker"), "this scenario's home\n");
        Result r = inNamespace(home, "cat /var/qmail/marker; cat /etc/resolv.conf; ip -o link | cut -d: -f2;"
                + " (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null && echo port-25-open || echo port-25-closed");
        assertThat(r.stderr).isEmpty();
        assertThat(r.stdout).isEqualTo("this scenario's home\nnameserver 127.0.0.1\n lo\nport-25-closed\n");
    }

    @Test
    void aHomeThatDoesNotExistTakesVarQmailAway(@TempDir Path dir) throws Exception {
        Result r = inNamespace(dir.resolve("gone"),
                "test -e /var/qmail && echo present || echo absent; test -d /var/lib && echo var-kept");
        assertThat(r.stdout).isEqualTo("absent\nvar-kept\n");
    }

    @Test
    void aCommandUnderVarQmailIsTheMachinesOwnNotTheHomes(@TempDir Path home) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/var/qmail/bin/qmail-remote")),
                "no /var/qmail/bin/qmail-remote here");
        Result r = run(List.of(ROOT.resolve("bench/interop/namespace").toString(),
                ROOT.resolve("bench/interop/deliver").toString(), home.toString(), "/var/qmail/bin/qmail-remote"));
        assertThat(r.stdout).as("qmail-remote without arguments").startsWith("D");
    }

    private static Result inNamespace(Path home, String script) throws Exception {
        return run(List.of(ROOT.resolve("bench/interop/namespace").toString(),
                ROOT.resolve("bench/interop/deliver").toString(), home.toString(), "/bin/bash", "-c", script));
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(argv))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err, StandardCharsets.ISO_8859_1));
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bench/interop/namespace"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bench/interop/namespace not found");
    }
}
