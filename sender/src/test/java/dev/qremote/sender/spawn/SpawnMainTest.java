package dev.qremote.sender.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** spawn's front end in this JVM with the real machine's context and engine, against fake DNS and fake MX. */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
@Timeout(60)
class SpawnMainTest {
    @TempDir
    Path home;
    @TempDir
    Path temp;
    private final Map<String, String> env = new HashMap<>();
    private SmtpServer mx;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws IOException {
        this.mx = mx;
        Files.createDirectories(home.resolve("control"));
        Files.createDirectories(home.resolve("queue/mess/3"));
        Files.createDirectories(home.resolve("queue/lock"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/dnssec"), "off\n"); // fake-dns serves an unsigned test.
        // fake-mx listens on 127.0.0.1, one of this machine's addresses: reached through a route (no loop check)
        Files.writeString(home.resolve("control/smtproutes"), "example.test:[127.0.0.1]:" + mx.address().getPort() + "\n");
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
        env.put("QMAILHOME", home.toString());
        env.put("QREMOTE_DNS", "127.0.0.1:" + dns.address().getPort());
        env.put("QREMOTE_SMTP_PORT", String.valueOf(mx.address().getPort()));
        env.put(Main.QUEUE_USER, Files.getOwner(home).getName());
        env.put(Main.SLOTS, "5");
    }

    private Peer start() throws IOException {
        return new Peer((in, out) -> Main.run(env, in, out));
    }

    @Test
    void deliversThroughTheEngineAndAnswersAsCQmailRspawn() throws Exception {
        Files.writeString(home.resolve("queue/mess/3/4711"), "Hi.\n");
        try (Peer peer = start()) {
            assertThat(peer.slotLimit()).isEqualTo(5);
            peer.send(4, "3/4711", "a@sender.test", "b@example.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(4,
                    "K127.0.0.1 accepted message.\nRemote host said: 250 2.0.0 ok 5 bytes\n"));
            peer.closeRequests();
            assertThat(peer.next()).isNull();
            assertThat(peer.awaitEnd(10_000)).isZero();
        }
        mx.awaitIdle(Duration.ofSeconds(5));
        assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.dataText()).isEqualTo("Hi.\r\n"));
    }

    /** As C qmail-rspawn at start: the timeout memory is zeroed when the file exists. */
    @Test
    void startsWithAClearedTimeoutMemory() throws Exception {
        Path tcpto = home.resolve("queue/lock/tcpto");
        Files.write(tcpto, new byte[1024]);
        byte[] busy = new byte[1024];
        busy[0] = 127;
        busy[4] = 2;
        Files.write(tcpto, busy);
        try (Peer peer = start()) {
            peer.slotLimit();
            assertThat(Files.readAllBytes(tcpto)).isEqualTo(new byte[1024]);
            peer.closeRequests();
            assertThat(peer.awaitEnd(10_000)).isZero();
        }
    }

    /** No queue/mess, an unknown queue user, a bad setting: 111 before the slot byte, as C does. */
    @Test
    void cannotServeIs111WithNothingWritten() throws Exception {
        assertThat(runAlone(Map.of(Main.QUEUE_USER, "no-such-user-here"))).isEqualTo("111:");
        assertThat(runAlone(Map.of(Main.SLOTS, "0"))).isEqualTo("111:");
        assertThat(runAlone(Map.of(Main.SLOTS, "256"))).isEqualTo("111:");
        assertThat(runAlone(Map.of("QMAILHOME", temp.resolve("nowhere").toString()))).isEqualTo("111:");
        assertThat(runAlone(Map.of("QREMOTE_DNS", "nonsense"))).isEqualTo("111:");
    }

    private String runAlone(Map<String, String> change) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(change);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(e, InputStream.nullInputStream(), out);
        return status + ":" + out;
    }
}
