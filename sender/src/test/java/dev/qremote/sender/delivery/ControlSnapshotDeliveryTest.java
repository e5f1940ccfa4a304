package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakedns.FakeDnsExtension;
import dev.qremote.fakedns.FakeDnsServer;
import dev.qremote.fakedns.FakeZone;
import dev.qremote.fakemx.FakeMxExtension;
import dev.qremote.fakemx.SmtpServer;
import dev.qremote.fakemx.Transcript;
import dev.qremote.sender.settings.ControlSnapshots;
import dev.qremote.sender.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries through one engine and one reloading snapshot holder: a change is taken up after the interval. */
@ExtendWith({FakeDnsExtension.class, FakeMxExtension.class})
class ControlSnapshotDeliveryTest {
    @TempDir
    Path home;
    private final TestContext context = new TestContext();
    private final MutableClock clock = new MutableClock();
    private SmtpServer mx;

    @BeforeEach
    void setUp(FakeDnsServer dns, SmtpServer mx) throws Exception {
        this.mx = mx;
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        Files.writeString(home.resolve("control/helohost"), "one.test\n");
        context.home = home;
        context.dns = dns.address();
        context.port = mx.address().getPort();
        context.snapshots = new ControlSnapshots(home, clock, Duration.ofSeconds(1));
        dns.zone(FakeZone.of("test.").mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.1"));
    }

    @Test
    void aChangedHeloNameIsUsedOnlyOnceTheIntervalPassed() throws Exception {
        DeliveryEngine engine = new DeliveryEngine(context);
        assertThat(ehloOf(engine)).isEqualTo("EHLO one.test");
        Files.writeString(home.resolve("control/helohost"), "two-two.test\n");
        assertThat(ehloOf(engine)).as("within the interval").isEqualTo("EHLO one.test");
        clock.advance(Duration.ofSeconds(1));
        assertThat(ehloOf(engine)).isEqualTo("EHLO two-two.test");
    }

    private String ehloOf(DeliveryEngine engine) throws Exception {
        int before = mx.transcripts().size();
        DeliveryResult result = engine.deliver(TestRequests.of(List.of("example.test", "a@sender.test", "b@example.test"),
                new ByteArrayInputStream("Hi.\n".getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(new String(result.messageReport().bytes(), StandardCharsets.ISO_8859_1)).startsWith("K");
        mx.awaitIdle(Duration.ofSeconds(5));
        String said = new String(mx.transcripts().get(before).sentBy(Transcript.Direction.CLIENT),
                StandardCharsets.ISO_8859_1);
        return said.substring(0, said.indexOf("\r\n"));
    }
}
