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
}
