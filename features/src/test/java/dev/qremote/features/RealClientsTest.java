package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients agree with the standalone fake MX: swaks delivers through {@code bin/fake-mx --starttls
 * --auth} with CRAM-MD5 and with PLAIN over TLS, and {@code openssl s_client -starttls smtp} completes a
 * verified handshake. .ci/run installs swaks and openssl; where one is missing its test is skipped, visibly.
 */
class RealClientsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    @TempDir
    Path dir;
    private Process fakeMx;
    private int port;

    @BeforeEach
    void startFakeMx() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        fakeMx = new ProcessBuilder(ROOT.resolve("bin/fake-mx").toString(), "--listen", "127.0.0.1:" + port,
                "--starttls", "--auth", "alice:s3cret", "--cert-name", "mx.fake.test",
                "--ca-out", dir.resolve("ca.pem").toString(), "--maildir", dir.resolve("mail").toString(),
                "--transcript", dir.resolve("transcript.txt").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(fakeMx.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("fake-mx start-up line").contains("listening on 127.0.0.1:" + port);
    }

    @AfterEach
    void stopFakeMx() throws Exception {
        fakeMx.destroy();
        fakeMx.waitFor(10, TimeUnit.SECONDS);
    }

    /** bin/fake-mx rewrites its transcript file once its sessions are over: wait (bounded) for that. */
    private String awaitTranscript(String expected) throws Exception {
        Path file = dir.resolve("transcript.txt");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                if (text.contains(expected) && text.contains("-- closed")) {
                    return text;
                }
            }
            Thread.sleep(100);
        }
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static boolean installed(String tool) {
        return List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private String run(List<String> command, String input) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private List<String> swaks(String mechanism) {
        return new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port),
                "--from", "alice@sender.test", "--to", "bob@example.test", "--helo", "client.test",
                "--tls", "--tls-verify", "--tls-ca-path", dir.resolve("ca.pem").toString(),
                "--tls-sni", "mx.fake.test",
                "--auth", mechanism, "--auth-user", "alice", "--auth-password", "s3cret"));
    }

    @Test
    void swaksDeliversWithCramMd5AndWithPlainOverTls() throws Exception {
        assumeTrue(installed("swaks"), "swaks is not installed (Debian package swaks; .ci/run installs it)");
        for (String mechanism : new String[] {"CRAM-MD5", "PLAIN"}) {
            String output = run(swaks(mechanism), "");
            assertThat(output).contains("235 2.7.0 Authentication successful").contains("250 2.0.0 ok");
        }
        String transcript = awaitTranscript("authenticated as alice with PLAIN");
        try (var mail = Files.list(dir.resolve("mail"))) {
            assertThat(mail.count()).isEqualTo(2);
        }
        assertThat(transcript).contains("-- TLS started: ").contains("authenticated as alice with CRAM-MD5")
                .contains("authenticated as alice with PLAIN").doesNotContain("s3cret");
    }

    @Test
    void opensslCompletesAVerifiedStarttlsHandshake() throws Exception {
        assumeTrue(installed("openssl"), "openssl is not installed (.ci/run installs it)");
        String output = run(List.of("openssl", "s_client", "-starttls", "smtp", "-connect", "127.0.0.1:" + port,
                "-servername", "mx.fake.test", "-verify_hostname", "mx.fake.test", "-verify_return_error",
                "-CAfile", dir.resolve("ca.pem").toString()), "QUIT\r\n");
        assertThat(output).contains("Verify return code: 0 (ok)");
        assertThat(awaitTranscript("-- TLS started: "))
                .contains("C: STARTTLS\\r\\n").contains("SNI mx.fake.test");
    }
}
