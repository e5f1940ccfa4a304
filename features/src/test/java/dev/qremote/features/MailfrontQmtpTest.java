package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.SenderRun;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bin/qmail-remote (and a resident bin/qmail-rspawn) delivers over QMTP, through a control/qmtproutes route,
 * to a real QMTP server: Debian's mailfront 2.12 in a container (host networking, a 127.0.0.x address and a
 * port drawn per test). What mailfront stored (envelope and message bytes) is read back and compared with
 * what was sent. Skipped, with the reason, where no Docker engine or image is at hand.
 */
class MailfrontQmtpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private final LoopbackAddress at = LoopbackAddress.draw();
    private Path qmail;
    private int port;

    @BeforeEach
    void needsMailfront() throws Exception {
        ContainerEngine.assumeImage(QmtpContainer.IMAGE);
        port = at.freePort();
        qmail = dir.resolve("qmail");
        Path control = Files.createDirectories(qmail.resolve("control"));
        Files.writeString(control.resolve("me"), "sender.test\n");
        Files.writeString(control.resolve("qmtproutes"), "example.test:" + at.address() + ";" + port + "\n");
    }

    private SenderRun deliver(DeliveryPath path, byte[] message, String sender, String... recipients)
            throws Exception {
        Path file = Files.write(dir.resolve("message.eml"), message);
        List<String> argv = new ArrayList<>(List.of("example.test", sender));
        argv.addAll(List.of(recipients));
        return path.deliver(qmail, dir, argv, file, Map.of());
    }

    /** mailfront's queuedir file for {@code message} from {@code sender} to {@code recipients}. */
    private static byte[] stored(byte[] message, String sender, String... recipients) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sender.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        for (String recipient : recipients) {
            out.writeBytes(recipient.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        out.writeBytes(message);
        return out.toByteArray();
    }

    /** 8-bit bytes, a leading dot and a CR inside a line: QMTP carries them as they are. */
    private static byte[] message() {
        return ("From: alice@sender.test\nTo: bob@example.test\nSubject: QMTP container test\n\n"
                + "Gr\u00fc\u00dfe from qmail-remote.\n.a leading dot, never stuffed in QMTP\nbare\rCR\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void theMessageAndItsEnvelopeAreStoredAsSent(DeliveryPath path) throws Exception {
        try (QmtpContainer mailfront = QmtpContainer.start(at, port, Map.of())) {
            SenderRun run = deliver(path, message(), "alice@sender.test", "bob@example.test");

            path.reports(run).isEqualTo("r\\0\nKAll received okay by " + at.address()
                    + ".\\nRemote host said: 2.6.0 Message accepted.\\n\\0\n");
            List<byte[]> store = mailfront.awaitStore(1, WAIT);
            assertThat(store).as("mailfront's store; its log:\n%s", mailfront.log()).hasSize(1);
            assertThat(store.get(0)).isEqualTo(stored(message(), "alice@sender.test", "bob@example.test"));
            assertThat(mailfront.log()).contains("sender <alice@sender.test>").contains("recipient <bob@example.test>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aBounceGoesWithTheEmptySender(DeliveryPath path) throws Exception {
        try (QmtpContainer mailfront = QmtpContainer.start(at, port, Map.of())) {
            SenderRun run = deliver(path, message(), "", "bob@example.test");

            path.reports(run).startsWith("r\\0\nKAll received okay by " + at.address() + ".");
            List<byte[]> store = mailfront.awaitStore(1, WAIT);
            assertThat(store).hasSize(1);
            assertThat(store.get(0)).isEqualTo(stored(message(), "", "bob@example.test"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aRecipientMailfrontRefusesBouncesAndNothingIsStored(DeliveryPath path) throws Exception {
        try (QmtpContainer mailfront = QmtpContainer.start(at, port, Map.of("REFUSE", "gone@example.test"))) {
            SenderRun run = deliver(path, message(), "alice@sender.test", "gone@example.test");

            path.reports(run).isEqualTo("h" + at.address() + " does not like recipient.\\nRemote host said: "
                    + "No mailbox here by that name. (#5.1.1)\\n\\0\nDGiving up on " + at.address() + ".\\n\\0\n");
            assertThat(mailfront.log()).contains("553 No mailbox here by that name. (#5.1.1)");
            assertThat(mailfront.awaitStore(0, Duration.ZERO)).isEmpty();
        }
    }

    /**
     * mailfront answers once per package, not once per recipient as QMTP asks: for two recipients the second
     * answer never comes. The first answer goes to the first recipient, and after timeoutremote the message
     * is deferred as a possible duplicate (mailfront did store it for both). Per process only: qmail-send
     * asks qmail-rspawn for one recipient at a time.
     */
    @Test
    void twoRecipientsGetOneAnswerFromMailfrontAndTheMessageIsAPossibleDuplicate() throws Exception {
        Files.writeString(qmail.resolve("control/timeoutremote"), "2\n");
        try (QmtpContainer mailfront = QmtpContainer.start(at, port, Map.of())) {
            SenderRun run = deliver(DeliveryPath.PER_PROCESS, message(), "alice@sender.test",
                    "bob@example.test", "carol@example.test");

            assertThat(run.visibleReports()).isEqualTo("r\\0\nZConnected to " + at.address()
                    + " but connection died. Possible duplicate! (#4.4.2)\\n\\0\n");
            List<byte[]> store = mailfront.awaitStore(1, WAIT);
            assertThat(store).hasSize(1);
            assertThat(store.get(0))
                    .isEqualTo(stored(message(), "alice@sender.test", "bob@example.test", "carol@example.test"));
        }
    }
}
