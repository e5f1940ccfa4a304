package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.sender.spawn.ReportTranslation;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code bin/qmail-rspawn} driven as qmail-send drives it, against fake-mx on loopback: the slot
 * byte, C qmail-spawn's checks, 20 deliveries at once, the pipe closed mid-flight, a JVM that cannot start,
 * and for each delivery scenario the answer byte-identical to what C qmail-rspawn would write for the
 * per-process {@code bin/qmail-remote}'s output in the same scenario.
 */
@Timeout(120)
class ResidentSpawnTest {
    @TempDir
    Path home;
    @TempDir
    Path work;
    private SmtpServer mx;
    private java.net.Socket refusing;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        mx = SmtpServer.start(InetAddress.getLoopbackAddress(), 0, SmtpScript.builder()
                .on("RCPT", "temp", Action.reply(451, "4.2.1 mailbox busy, try later"))
                .on("RCPT", "perm", Action.reply(550, "5.1.1 no such user"))
                .on("MAIL", "banned", Action.reply(553, "5.7.1 sender refused"))
                .on("RCPT", "slow", new Action.Delay(Duration.ofMillis(1500), new Action.Standard()))
                .build());
        // a port bound and never listened on: connections are refused, and no other process can take it
        // meanwhile (a closed ServerSocket's port was taken by a fuzz peer once, and answered EHLO)
        refusing = new java.net.Socket();
        refusing.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int dead = refusing.getLocalPort();
        Files.createDirectories(home.resolve("control"));
        Files.createDirectories(home.resolve("queue/mess/0"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/dnssec"), "off\n");
        // routes to 127.0.0.1 (one of this machine's addresses, reached without the MX loop check)
        Files.writeString(home.resolve("control/smtproutes"), "example.test:[127.0.0.1]:" + mx.address().getPort()
                + "\nrefused.test:[127.0.0.1]:" + dead + "\n");
        env.put("QMAILHOME", home.toString());
        env.put("QREMOTE_QMAILQ", Files.getOwner(home).getName());
    }

    @AfterEach
    void tearDown() throws IOException {
        mx.close();
        refusing.close();
    }

    private String message(String id, String body) throws IOException {
        Files.writeString(home.resolve("queue/mess").resolve(id), "Subject: test\n\n" + body);
        return id;
    }

    private SpawnDriver spawn() throws IOException {
        return SpawnDriver.start(env, work.resolve("stderr"));
    }

    @Test
    void announcesItsSlotLimitAndEndsWithItsInput() throws Exception {
        try (SpawnDriver driver = spawn()) {
            assertThat(driver.slotLimit()).as("C qmail-rspawn's conf-spawn").isEqualTo(120);
            driver.closeRequests();
            assertThat(driver.next()).isNull();
            assertThat(driver.awaitExit(30)).isZero();
        }
        env.put("QREMOTE_SPAWN_SLOTS", "20");
        try (SpawnDriver driver = spawn()) {
            assertThat(driver.slotLimit()).isEqualTo(20);
            driver.closeRequests();
            assertThat(driver.awaitExit(30)).isZero();
        }
        assertThat(work.resolve("stderr")).isEmptyFile();
    }

    /** The same scenario through the resident process and through per-process qmail-remote: the same bytes. */
    @Test
    void answersAsCQmailRspawnWouldForPerProcessQmailRemote() throws Exception {
        List<String[]> scenarios = List.of(
                new String[] {"a@sender.test", "ok@example.test"},
                new String[] {"a@sender.test", "temp@example.test"},
                new String[] {"a@sender.test", "perm@example.test"},
                new String[] {"banned@sender.test", "ok@example.test"},
                new String[] {"a@sender.test", "x@refused.test"});
        String id = message("0/77", "Hello.\n");
        List<String> perProcess = new ArrayList<>();
        for (String[] s : scenarios) {
            perProcess.add(translated(qmailRemote(s[1].substring(s[1].lastIndexOf('@') + 1), s[0], s[1], id)));
        }
        try (SpawnDriver driver = spawn()) {
            driver.slotLimit();
            for (int i = 0; i < scenarios.size(); i++) {
                driver.send(i, id, scenarios.get(i)[0], scenarios.get(i)[1]);
                SpawnDriver.Answer answer = driver.next();
                assertThat(answer.slot()).isEqualTo(i);
                assertThat(answer.text()).as(String.join(" ", scenarios.get(i))).isEqualTo(perProcess.get(i));
            }
            driver.closeRequests();
            assertThat(driver.awaitExit(30)).isZero();
        }
        assertThat(perProcess.get(0)).startsWith("K127.0.0.1 accepted message.");
        assertThat(perProcess.get(1)).startsWith("Z127.0.0.1 does not like recipient.");
        assertThat(perProcess.get(2)).startsWith("D127.0.0.1 does not like recipient.");
        assertThat(perProcess.get(3)).startsWith("D");
        assertThat(perProcess.get(4)).startsWith("Z");
    }

    /** What C qmail-rspawn writes between the slot byte and the NUL for this qmail-remote output. */
    private static String translated(byte[] output) {
        return new String(ReportTranslation.translate(output), StandardCharsets.ISO_8859_1);
    }

    private byte[] qmailRemote(String host, String sender, String recipient, String id) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SpawnDriver.ROOT.resolve("bin/qmail-remote").toString(), host,
                sender, recipient).redirectInput(home.resolve("queue/mess").resolve(id).toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    void answersCQmailSpawnsChecksAtOnce() throws Exception {
        message("0/1", "x\n");
        Files.createDirectories(home.resolve("queue/mess/5"));
        try (SpawnDriver driver = spawn()) {
            driver.slotLimit();
            driver.send(120, "0/1", "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(120, "ZInternal error: delnum too big. (#4.3.5)\n"));
            driver.send(3, "0/x", "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "DInternal error: messid has nonnumerics. (#5.3.5)\n"));
            driver.send(3, "", "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "DInternal error: messid too short. (#5.3.5)\n"));
            driver.send(3, "1".repeat(100), "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "DInternal error: messid too long. (#5.3.5)\n"));
            driver.send(3, "0/1", "", "postmaster");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "DSorry, address must include host name. (#5.1.3)\n"));
            driver.send(3, "0/2", "", "a@example.test"); // vanished, or never there
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "Zqmail-spawn unable to open message. (#4.3.0)\n"));
            driver.send(3, "5", "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(3, "ZSorry, message has wrong type. (#4.3.5)\n"));
            // the same request byte by byte is still one request
            for (byte b : SpawnDriver.request(3, "0/1", "", "a@example.test")) {
                driver.sendRaw(new byte[] {b});
            }
            assertThat(driver.next()).satisfies(a -> {
                assertThat(a.slot()).isEqualTo(3);
                assertThat(a.text()).startsWith("K127.0.0.1 accepted message.");
            });
        }
    }

    @Test
    void refusesAMessageFileOfAnotherOwner() throws Exception {
        UserPrincipal mine = Files.getOwner(home);
        String other = null;
        for (String name : List.of("nobody", "daemon", "bin", "root")) {
            try {
                if (!home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name).equals(mine)) {
                    other = name;
                    break;
                }
            } catch (IOException e) {
                // no such user here
            }
        }
        assumeThat(other).as("another user on this machine").isNotNull();
        env.put("QREMOTE_QMAILQ", other);
        message("0/1", "x\n");
        try (SpawnDriver driver = spawn()) {
            driver.slotLimit();
            driver.send(0, "0/1", "", "a@example.test");
            assertThat(driver.next()).isEqualTo(new SpawnDriver.Answer(0, "ZSorry, message has wrong owner. (#4.3.5)\n"));
        }
    }

    /** 20 requests in one write, each message of its own length: every slot answers for its own message. */
    @Test
    void twentyDeliveriesAtOnceAnswerForTheirSlots() throws Exception {
        env.put("QREMOTE_SPAWN_SLOTS", "20");
        try (SpawnDriver driver = spawn()) {
            assertThat(driver.slotLimit()).isEqualTo(20);
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                int slot = (i * 7) % 20;
                String id = message("0/" + (100 + slot), "x".repeat(slot) + "\n");
                batch.writeBytes(SpawnDriver.request(slot, id, "a@sender.test", "slow" + slot + "@example.test"));
            }
            long start = System.nanoTime();
            driver.sendRaw(batch.toByteArray());
            Map<Integer, String> answers = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                SpawnDriver.Answer a = driver.next();
                assertThat(answers.put(a.slot(), a.text())).as("slot %d answered twice", a.slot()).isNull();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            for (int slot = 0; slot < 20; slot++) {
                int bytes = "Subject: test\r\n\r\n".length() + slot + 2;
                assertThat(answers.get(slot)).isEqualTo(
                        "K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok " + bytes + " bytes\n");
            }
            // each RCPT waits 1.5 s at the server: one after another would take 30 s
            assertThat(took).as("deliveries ran at once").isLessThan(Duration.ofSeconds(15));
            driver.closeRequests();
            assertThat(driver.awaitExit(30)).isZero();
        }
        mx.awaitIdle(Duration.ofSeconds(10));
        assertThat(mx.messages()).hasSize(20);
    }

    /** qmail-send goes away with deliveries in flight: they finish, their answers are written, exit 0. */
    @Test
    void thePipeClosedMidFlightStillGetsEveryAnswer() throws Exception {
        try (SpawnDriver driver = spawn()) {
            driver.slotLimit();
            for (int slot = 0; slot < 3; slot++) {
                driver.send(slot, message("0/" + (10 + slot), "hi\n"), "a@sender.test", "slow@example.test");
            }
            driver.closeRequests();
            List<Integer> slots = new ArrayList<>();
            for (SpawnDriver.Answer a; (a = driver.next()) != null;) {
                assertThat(a.text()).startsWith("K127.0.0.1 accepted message.");
                slots.add(a.slot());
            }
            assertThat(slots).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(driver.awaitExit(30)).isZero();
        }
        mx.awaitIdle(Duration.ofSeconds(10));
        assertThat(mx.messages()).hasSize(3);
    }

    /** A JVM that cannot start writes nothing where qmail-send reads, and exits non-zero. */
    @Test
    void aJvmThatCannotStartWritesNothing() throws Exception {
        env.put("QREMOTE_SPAWN_JAVA_OPTIONS", "-Xmx1k");
        try (SpawnDriver driver = spawn()) {
            assertThat(driver.slotLimit()).isEqualTo(-1);
            assertThat(driver.awaitExit(30)).isNotZero();
        }
        assertThat(work.resolve("stderr")).isEmptyFile();
    }

    /** Options that make the JVM print to stdout whatever the logging options are refused, as a JVM that cannot start. */
    @Test
    void optionsThatPrintToStdoutAreRefused() throws Exception {
        for (String option : List.of("--show-version", "--version", "-XX:StartFlightRecording")) {
            env.put("QREMOTE_SPAWN_JAVA_OPTIONS", "-Xmx64m " + option);
            try (SpawnDriver driver = spawn()) {
                assertThat(driver.slotLimit()).as(option).isEqualTo(-1);
                assertThat(driver.awaitExit(30)).as(option).isEqualTo(111);
            }
        }
        assertThat(work.resolve("stderr")).isEmptyFile();
    }

    /**
     * bin/install puts the resident qmail-rspawn in place of C's, kept as qmail-rspawn.classic (also over a
     * reinstall); with a C compiler it is a program of mode 0711, as qmail's make check wants, that qmailr
     * can run without reading it.
     */
    @Test
    void installKeepsTheClassicAndTheInstalledOneServes() throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/qmail-rspawn"), "#!/bin/sh\necho classic\n");
        for (int i = 0; i < 2; i++) {
            Process install = new ProcessBuilder(SpawnDriver.ROOT.resolve("bin/install").toString(), home.toString())
                    .redirectErrorStream(true).start();
            String said = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as(said).isZero();
        }
        assertThat(home.resolve("bin/qmail-rspawn.classic")).hasContent("#!/bin/sh\necho classic");
        boolean compiled = Files.isExecutable(Path.of("/usr/bin/cc")) || Files.isExecutable(Path.of("/usr/bin/gcc"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("bin/qmail-rspawn"))))
                .isEqualTo(compiled ? "rwx--x--x" : "rwxr-xr-x");
        message("0/1", "hi\n");
        try (SpawnDriver driver = SpawnDriver.start(home.resolve("bin/qmail-rspawn"),
                Map.of("QREMOTE_QMAILQ", env.get("QREMOTE_QMAILQ")), work.resolve("stderr"))) {
            assertThat(driver.slotLimit()).isEqualTo(120);
            driver.send(7, "0/1", "a@sender.test", "ok@example.test");
            assertThat(driver.next()).satisfies(a -> {
                assertThat(a.slot()).isEqualTo(7);
                assertThat(a.text()).startsWith("K127.0.0.1 accepted message.");
            });
            driver.closeRequests();
            assertThat(driver.awaitExit(30)).isZero();
        }
    }

    /** No queue/mess (QMAILHOME wrong): exit 111 before the slot byte, as C qmail-rspawn's chdir failure. */
    @Test
    void noQueueIs111BeforeAnyByte() throws Exception {
        env.put("QMAILHOME", work.resolve("none").toString());
        try (SpawnDriver driver = spawn()) {
            assertThat(driver.slotLimit()).isEqualTo(-1);
            assertThat(driver.awaitExit(30)).isEqualTo(111);
        }
    }
}
