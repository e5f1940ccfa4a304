package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderCommand;
import dev.qremote.bench.SenderRun;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SMTP server, GreenMail, receives from bin/qmail-remote. It offers no 8BITMIME, so the 8-bit parts
 * of a multipart message go recoded; what it stored decodes, part for part, to the message sent.
 */
class RealServersTest {
    @TempDir
    Path dir;

    @Test
    void greenMailStoresTheRecodedMessageAndItDecodesToTheOriginal() throws Exception {
        byte[] original;
        try (InputStream in = RealServersTest.class.getResourceAsStream("/messages/multipart-8bit.eml")) {
            original = in.readAllBytes();
        }
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        try {
            int port = greenMail.getSmtp().getPort();
            Path control = Files.createDirectories(dir.resolve("qmail/control"));
            Files.writeString(control.resolve("me"), "sender.test\n");
            Files.writeString(control.resolve("smtproutes"), "example.test:[127.0.0.1]:" + port + "\n");
            Path message = dir.resolve("message.eml");
            Files.write(message, original);

            SenderRun run = SenderCommand.configured(Path.of("")).run(
                    List.of("example.test", "alice@sender.test", "bob@example.test"), message,
                    Map.of("QMAILHOME", dir.resolve("qmail").toString()), dir);

            assertThat(run.visibleReports()).startsWith("r\\0\nK127.0.0.1 accepted message.")
                    .contains("\\nRecoded to quoted-printable, parts: 3.\\n\\0");
            assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
            MimeMessage received = greenMail.getReceivedMessages()[0];
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            received.writeTo(stored);
            assertThat(new String(stored.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("Content-Transfer-Encoding: quoted-printable");
            assertThat(MimeSteps.leaves(stored.toByteArray()))
                    .usingRecursiveFieldByFieldElementComparatorOnFields("number", "type", "decoded")
                    .containsExactlyElementsOf(MimeSteps.leaves(MimeSteps.onTheWire(original)));
        } finally {
            greenMail.stop();
        }
    }
}
