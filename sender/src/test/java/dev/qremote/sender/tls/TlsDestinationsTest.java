package dev.qremote.sender.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The precedence of tlsdestinations as a golden table, in the manner of Postfix's tls_policy.in/.ref:
 * golden/tlsdestinations.in holds the control lines, golden/tlsdestinations.ref the expected policy for
 * each destination, MX host and sender.
 */
class TlsDestinationsTest {

    @Test
    void goldenTable() throws Exception {
        TlsDestinations table = TlsDestinations.parse(Golden.lines("tlsdestinations.in"));
        List<String> actual = new ArrayList<>();
        List<String> expected = Golden.lines("tlsdestinations.ref");
        for (String line : expected) {
            String[] query = line.substring(0, line.indexOf(" -> ")).split(" \\| ");
            actual.add(line.substring(0, line.indexOf(" -> ")) + " -> "
                    + table.policyFor(query[0], query[1], query[2]).describe());
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void withoutTheFileEverythingIsOpportunisticWithDane() {
        assertThat(TlsDestinations.none().policyFor("a.test", "mx.a.test", "x@y").describe())
                .isEqualTo("opportunistic none");
    }

    @Test
    void singleCharacterRules() throws Exception {
        assertThat(TlsDestinations.parse(List.of("?:")).policyFor("a.test", "mx", "x@y").describe()).isEqualTo("relaxed none");
        assertThat(TlsDestinations.parse(List.of("/:")).policyFor("a.test", "mx", "x@y").describe())
                .isEqualTo("opportunistic none no-dane");
        assertThat(TlsDestinations.parse(List.of("+*:", "~*:")).policyFor("a.test", "mx", "x@y").describe())
                .as("~* outranks +*").isEqualTo("mandatory ca_and_name_wildcard");
        assertThat(TlsDestinations.parse(List.of("=*:", "!a.test:")).policyFor("a.test", "mx", "x@y").describe())
                .as("! outranks everything").isEqualTo("never none no-dane");
    }

    @Test
    void brokenLinesAreErrorsNotGuesses() {
        assertThatThrownBy(() -> TlsDestinations.parse(List.of("%peer.test:/etc/ssl/ca")))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> TlsDestinations.parse(List.of("a.test:;port"))).isInstanceOf(TlsConfigException.class);
        assertThatThrownBy(() -> TlsDestinations.parse(List.of("~:"))).isInstanceOf(TlsConfigException.class);
    }
}
