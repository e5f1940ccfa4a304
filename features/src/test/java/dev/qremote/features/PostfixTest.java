package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.bench.SenderRun;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bin/qmail-remote delivers to a real Postfix in a container (host networking, a 127.0.0.x address and
 * ports drawn per test): over plain SMTP, STARTTLS, SMTPS, and submission with each SASL mechanism Postfix
 * offers through Dovecot. What Postfix stored in bob's Maildir is read back and compared with the message
 * sent, and Postfix's own log must show the TLS and SASL the report claims. Each case runs twice: through
 * per-process bin/qmail-remote and through a resident bin/qmail-rspawn ({@link DeliveryPath}). Skipped, with the reason,
 * where no Docker engine or image is at hand (bench/containers/build makes both).
 */
class PostfixTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private final LoopbackAddress at = LoopbackAddress.draw();
    private Path message;
    private byte[] original;

    @BeforeEach
    void needsPostfix() throws Exception {
        ContainerEngine.assumeImage(PostfixContainer.IMAGE);
        original = ("From: alice@sender.test\nTo: bob@example.test\nSubject: container test\n"
                + "Date: Mon, 30 Nov 2026 22:00:00 +0000\nMessage-ID: <container-test@sender.test>\n\nHello from qmail-remote.\n.leading dot, stuffed on the wire\n")
                .getBytes(StandardCharsets.US_ASCII);
        message = dir.resolve("message.eml");
        Files.write(message, original);
    }

    private SenderRun deliver(DeliveryPath path, String route) throws Exception {
        Path control = Files.createDirectories(dir.resolve("qmail/control"));
        Files.writeString(control.resolve("me"), "sender.test\n");
        Files.writeString(control.resolve("smtproutes"), "example.test:" + route + "\n");
        return path.deliver(dir.resolve("qmail"), dir, List.of("example.test", "alice@sender.test", "bob@example.test"),
                message, Map.of());
    }

    /** Each SASL mechanism Postfix offers, on each delivery path. */
    static Stream<Arguments> mechanisms() {
        return Stream.of(DeliveryPath.values()).flatMap(path -> Stream.of("SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN")
                .map(mechanism -> Arguments.of(path, mechanism)));
    }

    /** The one message in bob's Maildir: Postfix's own headers, then exactly the bytes sent. */
    private static String storedOnce(PostfixContainer postfix, byte[] sent) throws Exception {
        List<byte[]> stored = postfix.awaitMailbox(1, WAIT);
        assertThat(stored).as("messages in bob's Maildir; Postfix log:\n%s", postfix.log()).hasSize(1);
        String text = new String(stored.get(0), StandardCharsets.ISO_8859_1);
        assertThat(text).endsWith(new String(sent, StandardCharsets.ISO_8859_1))
                .startsWith("Return-Path: <alice@sender.test>\n");
        return text.substring(0, text.length() - sent.length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void plainSmtpStoresTheMessageAsSent(DeliveryPath path) throws Exception {
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("PLAIN_PORT", Integer.toString(port)))) {
            SenderRun run = deliver(path, "[" + at.address() + "]:" + port);

            path.reports(run).startsWith("r\\0\nK" + at.address() + " accepted message.\\nRemote host said: 250 2.0.0 Ok: ")
                    .contains(" queued as ");
            String headers = storedOnce(postfix, original);
            assertThat(headers).contains("from sender.test (unknown [127.0.0.1])").contains("with ESMTP id ")
                    .doesNotContain("using TLS");
            assertThat(postfix.awaitLog("status=sent", WAIT)).contains("to=<bob@example.test>")
                    .doesNotContain("TLS connection established");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void starttlsIsUsedWhenPostfixOffersIt(DeliveryPath path) throws Exception {
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("SMTP_PORT", Integer.toString(port)))) {
            SenderRun run = deliver(path, "[" + at.address() + "]:" + port);

            path.reports(run).startsWith("r\\0\nK" + at.address() + " TLS transmitted message accepted.");
            assertThat(storedOnce(postfix, original)).contains("(using TLSv1.3 with cipher ").contains("with ESMTPS id ");
            assertThat(postfix.awaitLog("status=sent", WAIT))
                    .contains("Anonymous TLS connection established from unknown[127.0.0.1]: TLSv1.3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void smtpsWithAuthenticationFromTheFirstByte(DeliveryPath path) throws Exception {
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("SMTPS_PORT", Integer.toString(port)))) {
            SenderRun run = deliver(path, "[" + at.address() + "];s" + port + "|alice|s3cret");

            path.reports(run).startsWith("r\\0\nK" + at.address() + " TLS transmitted message accepted.")
                    .doesNotContain("s3cret");
            assertThat(storedOnce(postfix, original)).contains("(using TLSv1.3 with cipher ").contains("with ESMTPSA id ");
            assertThat(postfix.awaitLog("status=sent", WAIT))
                    .contains("Anonymous TLS connection established from unknown[127.0.0.1]: TLSv1.3")
                    .contains("sasl_method=SCRAM-SHA-256, sasl_username=alice");
        }
    }

    @ParameterizedTest(name = "{0}: submission with {1}")
    @MethodSource("mechanisms")
    void submissionWithEachMechanismPostfixOffers(DeliveryPath path, String mechanism) throws Exception {
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("SUBMISSION_PORT", Integer.toString(port),
                "SASL_MECHANISMS", mechanism.toLowerCase(Locale.ROOT)))) {
            SenderRun run = deliver(path, "[" + at.address() + "];" + port + "|alice|s3cret");

            path.reports(run).startsWith("r\\0\nK" + at.address() + " TLS transmitted message accepted.")
                    .doesNotContain("s3cret");
            assertThat(storedOnce(postfix, original)).contains("with ESMTPSA id ");
            assertThat(postfix.awaitLog("status=sent", WAIT))
                    .contains("Anonymous TLS connection established from unknown[127.0.0.1]")
                    .contains("sasl_method=" + mechanism + ", sasl_username=alice");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aRefusedLoginDefersAndNothingIsStored(DeliveryPath path) throws Exception {
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("SUBMISSION_PORT", Integer.toString(port),
                "SASL_MECHANISMS", "plain"))) {
            SenderRun run = deliver(path, "[" + at.address() + "];" + port + "|alice|wrong-password");

            path.reports(run).startsWith("Z").contains("authentication was rejected")
                    .contains("535 5.7.8").doesNotContain("wrong-password");
            assertThat(postfix.awaitLog("authentication failed", WAIT))
                    .contains("SASL PLAIN authentication failed");
            assertThat(postfix.awaitMailbox(0, Duration.ZERO)).isEmpty();
        }
    }

    /** About 8 KiB of 7-bit text, for a Postfix that takes 4 KiB. */
    private void writeBigMessage() throws Exception {
        Files.writeString(message, "Subject: big\n\n" + ("0123456789abcdef".repeat(4) + "\n").repeat(128),
                StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aMessageOverTheSizePostfixAnnouncesBouncesUnsent(DeliveryPath path) throws Exception {
        writeBigMessage();
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("PLAIN_PORT", Integer.toString(port),
                "POSTCONF", "message_size_limit=4096"))) {
            SenderRun run = deliver(path, "[" + at.address() + "]:" + port);

            path.reports(run).isEqualTo("DSorry, " + at.address() + " takes no message this large: "
                    + "8334 bytes, " + at.address() + " takes 4096. (#5.3.4)\\n\\0\n");
            assertThat(postfix.awaitLog("disconnect from", WAIT)).contains(" ehlo=1 quit=1 commands=2");
            assertThat(postfix.awaitMailbox(0, Duration.ZERO)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void aMessageOverASizeLimitPostfixDoesNotAnnounceBouncesOnItsRefusal(DeliveryPath path) throws Exception {
        writeBigMessage();
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("PLAIN_PORT", Integer.toString(port),
                "POSTCONF", "message_size_limit=4096\nsmtpd_discard_ehlo_keywords=size"))) {
            SenderRun run = deliver(path, "[" + at.address() + "]:" + port);

            path.reports(run).startsWith("r\\0\nD" + at.address() + " failed after I sent the message.")
                    .contains("\\nRemote host said: 552 5.3.4 Chunk exceeds message size limit\\n");
            assertThat(postfix.awaitMailbox(0, Duration.ZERO)).isEmpty();
        }
    }

    /**
     * Postfix offers CHUNKING but not 8BITMIME here: the 8-bit message is recoded and goes after DATA (BDAT
     * would not lift the 8-bit rule, RFC 3030 2).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeliveryPath.class)
    void withoutEightBitMimeTheRecodedMessageDecodesToTheOriginal(DeliveryPath path) throws Exception {
        byte[] eightBit;
        try (InputStream in = PostfixTest.class.getResourceAsStream("/messages/multipart-8bit.eml")) {
            eightBit = in.readAllBytes();
        }
        Files.write(message, eightBit);
        int port = at.freePort();
        try (PostfixContainer postfix = PostfixContainer.start(at, Map.of("PLAIN_PORT", Integer.toString(port),
                "POSTCONF", "smtpd_discard_ehlo_keywords=8bitmime"))) {
            SenderRun run = deliver(path, "[" + at.address() + "]:" + port);

            path.reports(run).startsWith("r\\0\nK" + at.address() + " accepted message.")
                    .contains("\\nRecoded to quoted-printable, parts: 3.\\n\\0")
                    .doesNotContain("Sent with BDAT");
            List<byte[]> stored = postfix.awaitMailbox(1, WAIT);
            assertThat(stored).hasSize(1);
            assertThat(new String(stored.get(0), StandardCharsets.ISO_8859_1))
                    .contains("Content-Transfer-Encoding: quoted-printable");
            // a Maildir file has LF line ends: back to CRLF, as on the wire, for the comparison
            assertThat(MimeSteps.leaves(MimeSteps.onTheWire(stored.get(0))))
                    .usingRecursiveFieldByFieldElementComparatorOnFields("number", "type", "decoded")
                    .containsExactlyElementsOf(MimeSteps.leaves(MimeSteps.onTheWire(eightBit)));
            assertThat(postfix.awaitLog("status=sent", WAIT)).contains("discarding EHLO keywords: 8BITMIME");
        }
    }
}
