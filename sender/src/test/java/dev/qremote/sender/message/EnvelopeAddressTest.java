package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "bob@example.test             | bob@example.test",
        "''                           | ''",
        "#@[]                         | #@[]",
        "john smith@example.test      | \"john smith\"@example.test",
        ".bob@example.test            | \".bob\"@example.test",
        "bob.@example.test            | \"bob.\"@example.test",
        "a..b@example.test            | \"a..b\"@example.test",
        "@example.test                | \"\"@example.test",
        "say\"hi\\@example.test       | \"say\\\"hi\\\\\"@example.test",
        "a@b@example.test             | \"a@b\"@example.test",
        "postmaster                   | postmaster",
    })
    void encodes(String address, String path) {
        assertThat(EnvelopeAddress.encode(address)).contains(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r@example.test", "a@example.test\n", "a\0b@example.test", "\r\nRCPT TO:<x@y>"})
    void refusesBytesThatEndACommand(String address) {
        assertThat(EnvelopeAddress.encode(address)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void utf8LocalPartsNeedSmtputf8AndThenNoQuotes() {
        String utf8 = new String("j\u00f6rg@x.test".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        String latin1 = "m\u00e4x@x.test"; // one byte 0xe4: not UTF-8
        assertThat(EnvelopeAddress.needsUtf8(utf8)).isTrue();
        assertThat(EnvelopeAddress.needsUtf8(latin1)).isFalse();
        assertThat(EnvelopeAddress.needsUtf8("plain@x.test")).isFalse();
        assertThat(EnvelopeAddress.encode(utf8, true)).contains(utf8);
        assertThat(EnvelopeAddress.encode(utf8, false)).contains("\"" + utf8.substring(0, utf8.indexOf('@')) + "\"@x.test");
        assertThat(EnvelopeAddress.encode(latin1, false)).contains("\"m\u00e4x\"@x.test");
        assertThat(EnvelopeAddress.encode(latin1, true)).as("not UTF-8: quoted even with SMTPUTF8")
                .contains("\"m\u00e4x\"@x.test");
    }
}
