package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which addresses need SMTPUTF8, and the A-label form of internationalised domains without it (RFC 5890). */
class EnvelopeTest {

    /** An argument as qmail-remote receives it: its UTF-8 bytes, one char per byte. */
    private static String arg(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anInternationalisedDomainAloneNeedsNoSmtputf8() {
        Envelope envelope = Envelope.of(arg("alice@bücher.test"), List.of(arg("bob@bücher.test"))).orElseThrow();
        assertThat(envelope.needsUtf8()).isFalse();
        assertThat(envelope.senderPath(false)).isEqualTo("alice@xn--bcher-kva.test");
        assertThat(envelope.recipientPaths(false)).containsExactly(Optional.of("bob@xn--bcher-kva.test"));
    }

    @Test
    void aUtf8LocalPartNeedsSmtputf8AndKeepsItsDomainAsGiven() {
        Envelope envelope = Envelope.of(arg("jörg@bücher.test"), List.of(arg("bob@bücher.test"))).orElseThrow();
        assertThat(envelope.needsUtf8()).isTrue();
        assertThat(envelope.senderPath(true)).isEqualTo(arg("jörg@bücher.test"));
        assertThat(envelope.recipientPaths(true)).containsExactly(Optional.of(arg("bob@bücher.test")));
    }

    @Test
    void aUtf8DomainWithoutAnALabelFormNeedsSmtputf8() {
        String overlong = "ü".repeat(70) + ".test"; // a label IDNA cannot make into 63 octets
        Envelope envelope = Envelope.of("alice@sender.test", List.of(arg("bob@" + overlong))).orElseThrow();
        assertThat(envelope.needsUtf8()).isTrue();
    }

    @Test
    void bytesThatAreNotUtf8StayAsClassicSendsThem() {
        String latin1 = "b\u00fcb@b\u00fccher.test"; // ISO-8859-1 bytes, not UTF-8
        Envelope envelope = Envelope.of("alice@sender.test", List.of(latin1)).orElseThrow();
        assertThat(envelope.needsUtf8()).isFalse();
        assertThat(envelope.recipientPaths(false)).containsExactly(Optional.of("\"b\u00fcb\"@b\u00fccher.test"));
    }

    @Test
    void anAddressThatCannotBeCarriedStaysUnsendable() {
        Envelope envelope = Envelope.of("alice@sender.test", List.of(arg("bob\r\n@bücher.test"), "carol@example.test"))
                .orElseThrow();
        assertThat(envelope.recipientPaths(false)).containsExactly(Optional.empty(), Optional.of("carol@example.test"));
        assertThat(envelope.sendable(false)).containsExactly("carol@example.test");
    }
}
