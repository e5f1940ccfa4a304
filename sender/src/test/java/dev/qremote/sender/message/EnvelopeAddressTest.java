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
}
