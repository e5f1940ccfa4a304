package dev.qremote.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.fakemx.ReceivedMessage;
import io.cucumber.java.en.Then;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What a mail reader makes of a delivered message: Jakarta Mail (not the sender's own MIME code) parses
 * what the fake MX received and the message that was sent, and the steps compare them part by part,
 * numbered as IMAP numbers body parts (RFC 3501 6.4.5).
 */
public final class MimeSteps {
    private static final Session SESSION = Session.getInstance(utf8Headers());
    private final World world;

    public MimeSteps(World world) {
        this.world = world;
    }

    /** One leaf part: its number, media type, transfer encoding, bytes as sent, and bytes decoded. */
    record Leaf(String number, String type, String encoding, byte[] raw, byte[] decoded) {
        @Override
        public String toString() {
            return number + " " + type + " (" + encoding + ", " + decoded.length + " bytes decoded)";
        }
    }

    @Then("the message {word} received decodes, part for part, to the message sent")
    public void decodesToSent(String address) throws Exception {
        List<Leaf> sent = leaves(onTheWire(world.lastMessage()));
        List<Leaf> received = leaves(received(address));
        assertThat(received).extracting(Leaf::number).containsExactlyElementsOf(sent.stream().map(Leaf::number).toList());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).type()).as("type of part " + sent.get(i).number()).isEqualTo(sent.get(i).type());
            assertThat(received.get(i).decoded()).as("decoded part " + sent.get(i).number())
                    .isEqualTo(sent.get(i).decoded());
        }
    }

    @Then("{word} received the parts {string} recoded to quoted-printable, and every other part as it was sent")
    public void recodedParts(String address, String numbers) throws Exception {
        List<String> recoded = numbers.isEmpty() ? List.of() : Arrays.asList(numbers.split(",\\s*"));
        List<Leaf> sent = leaves(onTheWire(world.lastMessage()));
        List<Leaf> received = leaves(received(address));
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            Leaf before = sent.get(i);
            Leaf after = received.get(i);
            if (recoded.contains(before.number())) {
                assertThat(after.encoding()).as("encoding of part " + before.number()).isEqualTo("quoted-printable");
                assertThat(before.encoding()).as("encoding of part " + before.number() + " as sent")
                        .isNotEqualTo("quoted-printable");
            } else {
                assertThat(after.encoding()).as("encoding of part " + before.number()).isEqualTo(before.encoding());
                assertThat(after.raw()).as("bytes of part " + before.number()).isEqualTo(before.raw());
            }
        }
    }

    @Then("the message {word} received has the header {string}")
    public void header(String address, String line) throws Exception {
        int colon = line.indexOf(':');
        MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(received(address)));
        assertThat(message.getHeader(line.substring(0, colon))).as(line.substring(0, colon))
                .containsExactly(line.substring(colon + 1).strip());
    }

    /** Header bytes read as UTF-8 (RFC 6532), as a reader today shows them. */
    private static Properties utf8Headers() {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true");
        return properties;
    }

    @Then("every line {word} received fits in 1000 bytes")
    public void linesFit(String address) throws Exception {
        String data = new String(received(address), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(data.split("\r\n", -1)).allSatisfy(line ->
                assertThat(line.length()).as("line length with CRLF").isLessThanOrEqualTo(998));
    }

    @Then("the header {string} of the message {word} received unfolds to the one sent")
    public void unfolds(String name, String address) throws Exception {
        MimeMessage sent = new MimeMessage(SESSION, new ByteArrayInputStream(onTheWire(world.lastMessage())));
        MimeMessage got = new MimeMessage(SESSION, new ByteArrayInputStream(received(address)));
        String before = sent.getHeader(name)[0];
        String after = got.getHeader(name)[0];
        assertThat(after).as("folded on the wire").contains("\r\n").isNotEqualTo(before);
        assertThat(MimeUtility.unfold(after)).isEqualTo(before);
    }

    private byte[] received(String address) throws IOException {
        List<ReceivedMessage> messages = world.bench().exchanger(address).messages();
        assertThat(messages).as("messages received by " + address).hasSize(1);
        return messages.get(0).data();
    }

    /** The message with every line end made CRLF, as any SMTP client must send it (RFC 5321 2.3.8). */
    static byte[] onTheWire(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 20);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                    i++;
                }
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    static List<Leaf> leaves(byte[] message) throws MessagingException, IOException {
        List<Leaf> out = new ArrayList<>();
        message(new MimeMessage(SESSION, new ByteArrayInputStream(message)), "", out);
        return out;
    }

    private static void message(MimeMessage message, String number, List<Leaf> out)
            throws MessagingException, IOException {
        String type = baseType(message.getContentType());
        if (type.startsWith("multipart/")) {
            children(message.getContentType(), message.getRawInputStream(), number, out);
        } else {
            out.add(leaf(join(number, "1"), type, message.getEncoding(), message.getRawInputStream()));
        }
    }

    private static void part(MimeBodyPart part, String number, List<Leaf> out) throws MessagingException, IOException {
        String type = baseType(part.getContentType());
        if (type.startsWith("multipart/")) {
            children(part.getContentType(), part.getRawInputStream(), number, out);
        } else if (type.equals("message/rfc822")) {
            message(new MimeMessage(SESSION, part.getRawInputStream()), number, out);
        } else {
            out.add(leaf(number, type, part.getEncoding(), part.getRawInputStream()));
        }
    }

    private static void children(String contentType, InputStream body, String number, List<Leaf> out)
            throws MessagingException, IOException {
        MimeMultipart multipart = new MimeMultipart(new ByteArrayDataSource(body, contentType));
        for (int i = 0; i < multipart.getCount(); i++) {
            part((MimeBodyPart) multipart.getBodyPart(i), join(number, Integer.toString(i + 1)), out);
        }
    }

    private static Leaf leaf(String number, String type, String encoding, InputStream raw)
            throws MessagingException, IOException {
        byte[] bytes = raw.readAllBytes();
        String cte = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
        byte[] decoded = cte.equals("quoted-printable") || cte.equals("base64")
                ? MimeUtility.decode(new ByteArrayInputStream(bytes), cte).readAllBytes()
                : bytes;
        return new Leaf(number, type, cte, bytes, decoded);
    }

    private static String baseType(String contentType) throws MessagingException {
        return contentType == null ? "text/plain" : new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
    }

    private static String join(String prefix, String n) {
        return prefix.isEmpty() ? n : prefix + "." + n;
    }
}
