package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 8689 5: the header field, in the header only. */
class TlsRequiredFieldTest {
    private static boolean no(String message) {
        return TlsRequiredField.no(MessageSource.ofBytes(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theFieldIsFoundInAnyCaseAndFolded() {
        assertThat(no("From: a\nTLS-Required: No\n\nbody\n")).isTrue();
        assertThat(no("From: a\r\ntls-required:\r\n\tNO \r\n\r\nbody\r\n")).isTrue();
        assertThat(no("TLS-Required: No")).isTrue();
    }

    @Test
    void otherValuesAndTheBodyCountForNothing() {
        assertThat(no("From: a\nTLS-Required: Yes\n\nbody\n")).isFalse();
        assertThat(no("From: a\nTLS-Required: No thanks\n\n")).isFalse();
        assertThat(no("From: a\n\nTLS-Required: No\n")).isFalse();
        assertThat(no("X-TLS-Required: No\n\n")).isFalse();
    }

    @Test
    void theHeaderEndsAtTheFirstLineThatIsNoField() {
        // fresh8 F7: RFC 5322 2.2: what follows a line that is no field is no header
        assertThat(no("Subject: a\ngarbage line\nTLS-Required: No\n\nbody\n")).isFalse();
        assertThat(no("From x Mon\nTLS-Required: No\n\nbody\n")).isFalse();
        assertThat(no(" folded first\nTLS-Required: No\n\n")).isFalse();
        assertThat(no("Subject: a\nTLS-Required : No\n\n")).as("obs-field: WSP before the colon").isTrue();
    }

    @Test
    void twoTlsRequiredFieldsAreNoRequest() {
        // fresh8 F7: "Yes" then "No" was read as No
        assertThat(no("TLS-Required: Yes\nTLS-Required: No\n\n")).isFalse();
        assertThat(no("TLS-Required: No\nTLS-Required: No\n\n")).isFalse();
    }

    @Test
    void fieldsAcrossTheReadingBlocksAndTheLimit() {
        String filler = "X-Filler: " + "a".repeat(5000) + "\r\n";
        // the field begins past the first 4 KiB block, and a CRLF split between two blocks
        assertThat(no(filler + "TLS-Required: No\r\n\r\n")).isTrue();
        String cut = "X-Pad: " + "b".repeat(4096 - "X-Pad: ".length() - 1) + "\r";
        assertThat(cut.length()).isEqualTo(4096);
        assertThat(no(cut + "\nTLS-Required: No\r\n\r\n")).isTrue();
        // past the header's 1 MiB nothing is read: the field there is no request
        String huge = ("X-Long: " + "c".repeat(1000) + "\n").repeat(TlsRequiredField.MAX_HEADER / 1009 + 1);
        assertThat(no(huge + "TLS-Required: No\n\n")).isFalse();
        assertThat(no("TLS-Required: No\n" + huge + "\n")).isTrue();
    }
}
