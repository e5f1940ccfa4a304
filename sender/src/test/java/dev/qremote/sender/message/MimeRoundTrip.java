package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.random.RandomGenerator;

/**
 * Random MIME messages (nested multiparts, forwarded messages, every transfer encoding, 8-bit bytes, long
 * lines, LF and CRLF) and the round trip through the recoder and Jakarta Mail, a MIME reader apart from this
 * code. Shared by the seeded test and the fuzz target.
 */
final class MimeRoundTrip {
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeRoundTrip() {
    }

    /**
     * The round-trip property: recoded with or without 8BITMIME, every part decodes (by Jakarta Mail) to what
     * was sent, every line fits SMTP (998 bytes), and without 8BITMIME no 8-bit byte is left.
     */
    static void checkRoundTrip(Path dir, byte[] message, String name) throws Exception {
        List<String> expected = leaves(onTheWire(message));
        for (boolean eightBitMime : new boolean[] {false, true}) {
            byte[] sent = onTheWire(recode(dir, message, eightBitMime));
            String what = name + (eightBitMime ? " with" : " without") + " 8BITMIME";
            assertThat(leaves(sent)).as(what).containsExactlyElementsOf(expected);
            for (String line : new String(sent, StandardCharsets.ISO_8859_1).split("\r\n", -1)) {
                assertThat(line.length()).as(what + ": line length").isLessThanOrEqualTo(998);
            }
            if (!eightBitMime) {
                for (byte b : sent) {
                    assertThat(b).as(what + ": 7-bit").isNotNegative();
                }
            }
        }
    }

    /** The message as the sender recodes it for a server with or without 8BITMIME (through a file in {@code dir}). */
    static byte[] recode(Path dir, byte[] message, boolean eightBitMime) throws Exception {
        Path file = Files.createTempFile(dir, "m", ".eml");
        try {
            Files.write(file, message);
            MessageSource source = MessageSource.ofFile(file);
            RecodingPlan plan = RecodingPlan.of(source, eightBitMime);
            try (java.io.InputStream in = source.open()) {
                return new RecodedMessage(in, plan).readAllBytes();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Every leaf as "type: decoded bytes in hex", in order, as Jakarta Mail reads it. */
    static List<String> leaves(byte[] message) throws Exception {
        List<String> out = new ArrayList<>();
        collect(new MimeMessage(SESSION, new ByteArrayInputStream(message)), out);
        return out;
    }

    private static void collect(Part part, List<String> out) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, out);
            }
        } else if (part.isMimeType("message/rfc822")) {
            collect((Part) part.getContent(), out);
        } else {
            byte[] decoded = part.getInputStream().readAllBytes();
            out.add(part.getContentType().replaceAll(";.*", "") + ": " + java.util.HexFormat.of().formatHex(decoded));
        }
    }

    /** CRLF for every line end, as the DATA path makes it. */
    static byte[] onTheWire(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                i += b == '\r' && i + 1 < message.length && message[i + 1] == '\n' ? 1 : 0;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Writes one random message: headers are 7-bit, bodies anything their encoding allows. */
    static final class Generator {
        private final RandomGenerator random;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int boundaries;

        Generator(RandomGenerator random) {
            this.random = random;
        }

        byte[] message() {
            text("From: a@b.test\nSubject: random\nMIME-Version: 1.0\n");
            if (random.nextInt(8) == 0) {
                text("References:" + " <some.message.id@example.test>".repeat(40) + "\n");
            }
            entity(0);
            return out.toByteArray();
        }

        private void entity(int depth) {
            int kind = depth >= 3 ? 3 : random.nextInt(5);
            if (kind == 0) {
                String boundary = "=_b" + (boundaries++) + "_" + random.nextInt(1_000_000);
                String label = random.nextBoolean() ? "" : "Content-Transfer-Encoding: 8bit\n";
                text("Content-Type: multipart/mixed;\n boundary=\"" + boundary + "\"\n" + label + "\n");
                if (random.nextBoolean()) {
                    text("preamble\n");
                }
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    text("--" + boundary + "\n");
                    entity(depth + 1);
                    text("\n");
                }
                text("--" + boundary + "--\n");
                if (random.nextBoolean()) {
                    text("epilogue\n");
                }
            } else if (kind == 1) {
                text("Content-Type: message/rfc822\n\nSubject: inner\nMIME-Version: 1.0\n");
                entity(depth + 1);
            } else {
                leaf();
            }
        }

        private void leaf() {
            switch (random.nextInt(6)) {
                case 0 -> {
                    text("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n");
                    byte[] data = bytes(random.nextInt(2000), true);
                    text(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(data));
                }
                case 1 -> {
                    text("Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n");
                    byte[] data = bytes(random.nextInt(3000), false);
                    out.writeBytes(data); // CR and LF only as CRLF, so that the wire form is the same bytes
                }
                default -> {
                    String[] labels = {"", "Content-Transfer-Encoding: 7bit\n", "Content-Transfer-Encoding: 8bit\n"};
                    text("Content-Type: text/plain; charset=utf-8\n" + labels[random.nextInt(3)] + "\n");
                    for (int i = 0, n = random.nextInt(6); i < n; i++) {
                        out.writeBytes(line());
                        text(random.nextBoolean() ? "\n" : "\r\n");
                    }
                }
            }
        }

        /** A text line: mostly ASCII, some 8-bit bytes, trailing spaces, dots and dashes, sometimes long. */
        private byte[] line() {
            int length = random.nextInt(10) == 0 ? 999 + random.nextInt(1500) : random.nextInt(120);
            byte[] line = new byte[length];
            String alphabet = "abc =.-\t\u00e4\u00f6\u00fc\u00ff";
            for (int i = 0; i < length; i++) {
                line[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            return line;
        }

        /** Random bytes; without {@code any}, CR and LF appear only together, as CRLF. */
        private byte[] bytes(int n, boolean any) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) random.nextInt(256);
                if (!any && (data[i] == '\r' || data[i] == '\n')) {
                    data[i] = 'x';
                }
            }
            if (!any && n > 4) {
                data[n / 2] = '\r';
                data[n / 2 + 1] = '\n';
            }
            return data;
        }

        private void text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
