package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quoted-printable recoding (RFC 2045 6.7) of what a 7-bit or line-limited path cannot carry, part by part.
 * Decoding uses a decoder written here from the RFC, apart from the encoder under test.
 */
class RecodedMessageTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "m", ".txt");
        Files.write(file, content);
        return file;
    }

    private RecodingPlan plan(byte[] message, boolean eightBitMime) throws Exception {
        return RecodingPlan.of(MessageSource.ofBytes(message), eightBitMime);
    }

    private String recode(String message, boolean eightBitMime) throws Exception {
        return new String(recode(message.getBytes(StandardCharsets.ISO_8859_1), eightBitMime),
                StandardCharsets.ISO_8859_1);
    }

    private byte[] recode(byte[] message, boolean eightBitMime) throws Exception {
        RecodingPlan plan = plan(message, eightBitMime);
        return new RecodedMessage(new ByteArrayInputStream(message), plan).readAllBytes();
    }

    /** RFC 2045 6.7 decoding: "=XX" is a byte, "=" before a line break is a soft break, CRLF stays. */
    static byte[] decode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '=') {
                out.write(c);
            } else if (encoded.startsWith("\r\n", i + 1)) {
                i += 2;
            } else {
                out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            }
        }
        return out.toByteArray();
    }

    private static void assertQuotedPrintableLines(String encoded) {
        for (String line : encoded.split("\r\n", -1)) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
            assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t").doesNotStartWith("-");
            assertThat(line.chars().allMatch(c -> c >= 32 && c <= 126 || c == '\t')).as(line).isTrue();
        }
    }

    @Test
    void aMessageWithoutMimeGetsItsHeadersAndEveryLineDecodesBack() throws Exception {
        String body = "Gr\u00fc\u00dfe aus K\u00f6ln, = ist gleich,\nzwei Leerzeichen am Ende  \n\ttab\t\n.dot\n";
        String recoded = recode("Subject: hi\n\n" + body, false);
        assertThat(recoded).startsWith("Subject: hi\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\n");
        String encodedBody = recoded.substring(recoded.indexOf("\n\n") + 2);
        assertQuotedPrintableLines(encodedBody.substring(0, encodedBody.length() - 2));
        assertThat(decode(encodedBody)).isEqualTo(body.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(encodedBody).contains("Gr=FC=DFe", "=3D", "Ende =20\r\n", "\ttab=09\r\n");
    }

    @Test
    void aMimeMessageKeepsItsVersionAndLosesItsOldEncodingHeader() throws Exception {
        String recoded = recode("MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
                + "Content-Transfer-Encoding: 8bit\nSubject: x\n\n\u00e9t\u00e9\n", false);
        assertThat(recoded).isEqualTo("MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
                + "Subject: x\nContent-Transfer-Encoding: quoted-printable\r\n\n=E9t=E9\r\n");
    }

    @Test
    void aLongLineIsRecodedEvenWhere8BitmimeIsOffered() throws Exception {
        String line = "word ".repeat(400);
        String recoded = recode("Subject: long\n\n" + line + "\nshort\n", true);
        String body = recoded.substring(recoded.indexOf("\n\n") + 2);
        assertQuotedPrintableLines(body.substring(0, body.length() - 2));
        assertThat(decode(body)).isEqualTo((line + "\r\nshort\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void eightBitTextGoesAsItIsWhere8BitmimeIsOffered() throws Exception {
        assertThat(plan("Subject: x\n\n\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), true).parts())
                .isZero();
    }

    @Test
    void onlyThePartsThatNeedItAreRecoded() throws Exception {
        String seven = "plain seven-bit text\n";
        String base64 = "w6nDqQ==\n";
        String message = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b 1\"\n\npreamble\n"
                + "--b 1\nContent-Type: text/plain\n\n" + seven
                + "--b 1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\u00c3\u00a9t\u00c3\u00a9\n"
                + "--b 1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n" + base64
                + "--b 1--\nepilogue\n";
        assertThat(plan(message.getBytes(StandardCharsets.ISO_8859_1), false).parts()).isEqualTo(1);
        String recoded = recode(message, false);
        assertThat(recoded).isEqualTo("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b 1\"\n\npreamble\n"
                + "--b 1\nContent-Type: text/plain\n\n" + seven
                + "--b 1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\r\n\n=C3=A9t=C3=A9\r\n"
                + "--b 1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n" + base64
                + "--b 1--\nepilogue\n");
    }

    @Test
    void aBinaryPartDecodesToItsVeryBytes() throws Exception {
        byte[] content = new byte[3000];
        new Random(7).nextBytes(content);
        content[10] = '\r';
        content[11] = '\n';
        content[20] = '\n';
        content[30] = '\r';
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(("Content-Type: multipart/mixed; boundary=zz\nContent-Transfer-Encoding: binary\n\n--zz\n"
                + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        message.write(content);
        message.write("\n--zz--\n".getBytes(StandardCharsets.US_ASCII));
        String recoded = new String(recode(message.toByteArray(), false), StandardCharsets.ISO_8859_1);
        // the enclosing multipart, labelled binary, is relabelled: nothing in it is binary any more
        assertThat(recoded).startsWith("Content-Type: multipart/mixed; boundary=zz\nContent-Transfer-Encoding: 7bit\r\n\n--zz\n");
        int start = recoded.indexOf("quoted-printable\r\n\n") + "quoted-printable\r\n\n".length();
        int end = recoded.indexOf("\r\n--zz--\n");
        assertQuotedPrintableLines(recoded.substring(start, end));
        assertThat(decode(recoded.substring(start, end))).isEqualTo(content);
    }

    @Test
    void aMultipartStaysLabelled8BitWhere8BitmimeIsOffered() throws Exception {
        String message = "Content-Type: multipart/mixed; boundary=q\nContent-Transfer-Encoding: 8bit\n\n--q\n\n"
                + "x".repeat(1200) + "\n--q--\n";
        String recoded = recode(message, true);
        assertThat(recoded).startsWith("Content-Type: multipart/mixed; boundary=q\nContent-Transfer-Encoding: 8bit\n\n--q\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\n");
    }

    @Test
    void aMultipartKeepsItsLabelWhile8BitBytesAreLeftInIt() throws Exception {
        String part = "--m\nContent-Transfer-Encoding: 8bit\n\n\u00e9\n";
        String head = "Content-Type: multipart/mixed; boundary=m\nContent-Transfer-Encoding: 8bit\n\n";
        String headerLeft = head + part + "--m\nContent-Description: caf\u00e9\n\nseven\n--m--\n";
        assertThat(recode(headerLeft, false)).startsWith(head).contains("=E9");
        String base64Left = head + part + "--m\nContent-Transfer-Encoding: base64\n\n\u00e9\n--m--\n";
        assertThat(recode(base64Left, false)).startsWith(head);
        String allRecoded = head + part + "--m--\n";
        assertThat(recode(allRecoded, false)).startsWith(
                "Content-Type: multipart/mixed; boundary=m\nContent-Transfer-Encoding: 7bit\r\n\n");
        // its own header is not its body: 8-bit bytes there leave the label to what the body holds
        assertThat(recode("Subject: caf\u00e9\n" + allRecoded, false)).startsWith(
                "Subject: caf\u00e9\nContent-Type: multipart/mixed; boundary=m\nContent-Transfer-Encoding: 7bit\r\n\n");
    }

    @Test
    void aForwardedMessageIsEnteredAndItsBodyRecoded() throws Exception {
        String message = "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: message/rfc822\n\n"
                + "Subject: inner\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\nna\u00efve\n--i--\n"
                + "--o--\n";
        String recoded = recode(message, false);
        assertThat(recoded).isEqualTo("Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: message/rfc822\n\n"
                + "Subject: inner\nContent-Type: multipart/alternative; boundary=i\n\n--i\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\nna=EFve\r\n--i--\n--o--\n");
    }

    @Test
    void encodedPartsAreNeverEncodedTwice() throws Exception {
        String message = "Content-Type: multipart/mixed; boundary=e\n\n--e\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "broken \u00ff\n--e\nContent-Type: message/partial; id=x\n\n\u00ff\n--e--\n";
        assertThat(plan(message.getBytes(StandardCharsets.ISO_8859_1), false).parts()).isZero();
    }

    @Test
    void aSoftBreakNeverStartsALineThatCouldBeADelimiter() throws Exception {
        String line = "\u00e9" + "x".repeat(72) + "--boundary--";
        String recoded = recode("Content-Type: multipart/mixed; boundary=boundary\n\n--boundary\n\n" + line
                + "\n--boundary--\n", false);
        assertThat(recoded.lines().filter(l -> l.startsWith("--boundary"))).hasSize(2);
        String body = recoded.substring(recoded.indexOf("printable\r\n\n") + 12, recoded.lastIndexOf("\r\n--boundary--"));
        assertThat(decode(body)).isEqualTo(line.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLineLongerThanTheReadBufferIsEncodedInPieces() throws Exception {
        byte[] line = new byte[200_000];
        Arrays.fill(line, (byte) 0xe4);
        byte[] message = new byte[line.length + 4];
        message[0] = '\n';
        System.arraycopy(line, 0, message, 1, line.length);
        message[line.length + 1] = '\n';
        message[line.length + 2] = 'z';
        message[line.length + 3] = '\n';
        String recoded = new String(recode(message, false), StandardCharsets.ISO_8859_1);
        String body = recoded.substring(recoded.indexOf("printable\r\n\n") + 12);
        assertQuotedPrintableLines(body.substring(0, body.length() - 2));
        byte[] expected = new byte[line.length + 5];
        System.arraycopy(line, 0, expected, 0, line.length);
        System.arraycopy("\r\nz\r\n".getBytes(StandardCharsets.US_ASCII), 0, expected, line.length, 5);
        assertThat(decode(body)).isEqualTo(expected);
    }

    @Test
    void aPartialFinalLineStaysPartial() throws Exception {
        assertThat(recode("\n\u00e9", false)).isEqualTo("MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\n=E9");
    }

    @Test
    void aHostileNestingIsLeftAloneBelowTheCap() throws Exception {
        String nest = "Content-Type: message/rfc822\n\n".repeat(5000);
        assertThat(plan((nest + "\n\u00e9\n").getBytes(StandardCharsets.ISO_8859_1), false).parts()).isZero();
        String shallow = "Content-Type: message/rfc822\n\n".repeat(3);
        assertThat(recode(shallow + "\n\u00e9\n", false)).isEqualTo(shallow
                + "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\n=E9\r\n");
    }

    @Test
    void thePlanSeesEightBitBytesAnywhere() throws Exception {
        assertThat(plan("Subject: caf\u00e9\n\nseven\n".getBytes(StandardCharsets.ISO_8859_1), true).eightBit())
                .isTrue();
        assertThat(plan("Subject: x\n\nseven\n".getBytes(StandardCharsets.ISO_8859_1), false).eightBit())
                .isFalse();
    }

    @Test
    void aLongHeaderLineIsFoldedAtItsOwnWhitespaceAndUnfoldsToItself() throws Exception {
        StringBuilder references = new StringBuilder("References:");
        for (int i = 0; i < 60; i++) {
            references.append(" <message-").append(i).append("@mail.example.test>");
        }
        String message = "Subject: x\n" + references + "\n\nbody\n";
        RecodingPlan plan = plan(message.getBytes(StandardCharsets.ISO_8859_1), true);
        assertThat(plan.foldedLines()).isEqualTo(1);
        assertThat(plan.parts()).isZero();
        String sent = recode(message, true);
        String header = sent.substring(sent.indexOf("References:"), sent.indexOf("\n\nbody"));
        assertThat(header.split("\r\n")).hasSizeGreaterThan(1).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(header.replace("\r\n", "")).as("unfolded").isEqualTo(references.toString());
        assertThat(sent).endsWith("\n\nbody\n");
    }

    @Test
    void aLongHeaderLineWithoutWhitespaceStaysAsItIs() throws Exception {
        String message = "X-Token: " + "t".repeat(1200) + "\n\nbody\n";
        assertThat(plan(message.getBytes(StandardCharsets.ISO_8859_1), false).changes()).isFalse();
        String spaces = "X-Pad:" + " ".repeat(1200) + "x\n\nbody\n";
        String sent = recode(spaces, false);
        assertThat(sent.substring(0, sent.indexOf("\n\n")).split("\r\n"))
                .allSatisfy(line -> {
                    assertThat(line.length()).isLessThanOrEqualTo(998);
                    assertThat(line).matches(".*\\S.*");
                });
        assertThat(sent.replace("\r\n", "")).isEqualTo(spaces);
    }
}
