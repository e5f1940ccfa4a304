package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.Demo;
import dev.qremote.bench.SenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bin/demo's teaching scenarios, run in-process as the script runs them (each a real bin/qmail-remote
 * delivery over loopback): every scenario of --list prints its reports and the notes of the steps that
 * happened, and none of the steps that did not.
 */
class DemoTest {

    /** For each scenario: texts its output must hold (reports, notes), then texts it must not. */
    private static final Map<String, List<List<String>>> EXPECTED = new LinkedHashMap<>();

    static {
        expect("plain", List.of("r\\0", "K127.0.0.2 accepted message.",
                "EHLO: the client names itself and asks for extensions — RFC 5321 4.1.1.1",
                "MAIL: the envelope sender — RFC 5321 4.1.1.2", "RCPT: one recipient — RFC 5321 4.1.1.3",
                "dot-stuffed: a line starting with '.' gets one more — RFC 5321 4.5.2",
                "the message is taken: only now may qmail-remote say K — RFC 5321 4.1.1.4 / 6.1",
                "A: NOERROR aa AD=0: MX 10 mx1.example.test."),
                List.of("STARTTLS", "TLSA", "BDAT", "RFC 7505"));
        expect("greylisting", List.of("s127.0.0.2 does not like recipient.\\nRemote host said: 451 ",
                "451: a temporary failure: greylisting — RFC 5321 4.2.1; retried later — RFC 5321 4.5.4.1",
                "# qmail-send retries later", "K127.0.0.2 accepted message.", "== 127.0.0.2 session 2"),
                List.of("STARTTLS"));
        expect("starttls", List.of("K127.0.0.2 TLS transmitted message accepted.", "STARTTLS — RFC 3207 4",
                "220: go ahead, the TLS handshake follows — RFC 3207 4",
                "EHLO again: after TLS the client forgets what it knew — RFC 3207 4.2"),
                List.of("TLSA", "AD=1"));
        expect("dane-ok", List.of("K127.0.0.2 TLS (TLSA validated) transmitted message accepted.",
                "A: NOERROR aa AD=1: TLSA 3 1 1 ", "so DANE applies — RFC 7672 2.2",
                "the certificate matched TLSA 3 1 1 — RFC 7672 3.1.1 / RFC 6698 2.1", "control/dnssec: ad\n"),
                List.of("matched no TLSA"));
        expect("dane-mismatch", List.of("ZTLSA X.509 cert required but missing from: mx1.example.test",
                "Z: deferred", "the certificate matched no TLSA record (TLSA 3 1 1)", "A: NOERROR aa AD=1: TLSA 3 1 1 "),
                List.of("\nK", "the message is taken", "MAIL: the envelope sender", "certificate matched TLSA"));
        expect("auth", List.of("K127.0.0.3 TLS transmitted message accepted.", "STARTTLS — RFC 3207 4",
                "AUTH SCRAM-SHA-256 — RFC 4954 4", "235: logged in — RFC 4954 6",
                "control/smtproutes: example.test:relay.test;", "|alice|[password]\n"),
                List.of("demo-secret"));
        expect("8bitmime", List.of("K127.0.0.2 accepted message.", "C: MAIL FROM:<alice@sender.test> BODY=8BITMIME",
                "BODY=8BITMIME — RFC 6152 2", "8BITMIME: 8-bit text may go as it is — RFC 6152", "C: Caf\\xe9 cr\\xe8me"),
                List.of("quoted-printable", "Recoded"));
        expect("8bit-downgrade", List.of("Recoded to quoted-printable, parts: 1.",
                "recoded to quoted-printable: the server offered no 8BITMIME — RFC 6152 3 / RFC 2045 6.7",
                "C: Caf=E9 cr=E8me"),
                List.of("BODY=8BITMIME", "8BITMIME: 8-bit text may go as it is"));
        expect("bdat", List.of("Sent with BDAT, chunks: 1.", "BDAT … LAST: the last chunk, its size first — RFC 3030 2",
                "no dot-stuffing inside a BDAT chunk", "CHUNKING: BDAT instead of DATA — RFC 3030"),
                List.of("DATA — RFC 5321 4.1.1.4", "<CRLF>.<CRLF>"));
        expect("qmtp", List.of("KAll received okay by 127.0.0.5.", "(QMTP)", "— QMTP spec",
                "control/qmtproutes: example.test:qmtp.test;"),
                List.of("(SMTP)", "EHLO"));
        expect("null-mx", List.of("DSorry, example.test does not accept mail: it publishes a null MX. (#5.1.10)",
                "null MX: the domain takes no mail — RFC 7505 3", "(no connection was made)"),
                List.of("EHLO", "\nK"));
        expect("mx-fallback", List.of("421 instead of a greeting: not now, closing — RFC 5321 3.8 / 4.2.1",
                "== 127.0.0.3 session 1", "K127.0.0.3 accepted message.", "MX 10 mx1.example.test., MX 20 mx2.example.test."),
                List.of("STARTTLS", "== 127.0.0.2 session 2"));
        expect("out-of-step", List.of("ZConnected to 127.0.0.2 but it sent a reply before I sent MAIL: not valid SMTP.",
                "S: 250 extra\\r\\n", "a reply to no command: every command gets exactly one reply — RFC 5321 4.2; out of step"),
                List.of("MAIL FROM", "\nK"));
        expect("size-limit", List.of("DSorry, 127.0.0.2 takes no message this large",
                "SIZE: the largest message taken, in bytes — RFC 1870 4", "the server's SIZE limit"),
                List.of("MAIL FROM", "DATA"));
    }

    private static void expect(String scenario, List<String> present, List<String> absent) {
        EXPECTED.put(scenario, List.of(present, absent));
    }

    /** The notes expect this repository's qmail-remote (its report texts), not another command under test. */
    @org.junit.jupiter.api.BeforeAll
    static void ownCommand() {
        String named = System.getProperty("qremote.command", System.getenv("QREMOTE_COMMAND"));
        org.junit.jupiter.api.Assumptions.assumeTrue(named == null || named.isBlank(),
                "bin/demo shows this repository's qmail-remote; another command is under test");
    }

    private static String[] run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Demo.run(args, o, e, SenderCommand.configured(Path.of("")));
        }
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void everyListedScenarioRunsAndNotesOnlyWhatHappened() throws Exception {
        String[] list = run("--list");
        List<String> names = Arrays.stream(list[1].split("\n")).map(l -> l.split(" ", 2)[0]).toList();
        assertThat(names).as("--list names exactly the scenarios checked here").containsExactlyElementsOf(EXPECTED.keySet());
        for (String name : names) {
            String[] result = run(name);
            assertThat(result[0]).as(name + ": exit status").isEqualTo("0");
            assertThat(result[2]).as(name + ": stderr").isEmpty();
            String output = result[1];
            assertThat(output).as(name).startsWith("scenario " + name + ": ")
                    .contains("exit status 0, stderr empty").contains(EXPECTED.get(name).get(0));
            assertThat(output).as(name + ": nothing of a step that did not happen")
                    .doesNotContain(EXPECTED.get(name).get(1));
        }
    }

    @Test
    void withoutAScenarioTheReadmeDemoIsUnchanged() throws Exception {
        String[] result = run();
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("bin/qmail-remote example.test alice@sender.test bob@example.test < message\n\n"
                + "reports (one per line, NUL shown as \\0):\nr\\0\nK127.0.0.2 accepted message.\\nRemote host said: "
                + "250 2.0.0 ok 125 bytes\\n\\0\n\nexit status 0, stderr empty\n\nSMTP transcript (C: qmail-remote, S: fake MX):\n"
                + "== 127.0.0.2 session 1\nS: 220 mx.fake.test ESMTP fake-mx\\r\\n\nC: EHLO sender.test\\r\\n\nS: 250-mx.fake.test\\r\\n\n")
                .doesNotContain("<- ");
    }

    @Test
    void anUnknownScenarioIsAUsageError() throws Exception {
        String[] result = run("no-such-scenario");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[1]).isEmpty();
        assertThat(result[2]).startsWith("usage: bin/demo [--list | SCENARIO]");
    }
}
