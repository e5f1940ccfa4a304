package dev.qremote.sender.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyReaderTest {

    private static Reply read(String wire) throws Exception {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))).read("TEST");
    }

    @Test
    void multiLineReply() throws Exception {
        Reply r = read("250-first\r\n250-second\r\n250 last\r\n");
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.lines()).containsExactly("250-first", "250-second", "250 last");
    }

    @Test
    void bareCodeAndBareLf() throws Exception {
        assertThat(read("354\n").code()).isEqualTo(354);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello\r\n", "25\r\n", "250x\r\n", "650 no\r\n", "\r\n", "250-a\r\nb\r\n", "199 x\r\n"})
    void brokenRepliesAreProtocolViolations(String wire) {
        assertThatThrownBy(() -> read(wire)).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void linesWithDifferentCodesAreDecidedByTheLast() throws Exception {
        Reply r = read("250-2.1.5 fine\r\n550 5.1.1 not fine\r\n");
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.lines()).containsExactly("250-2.1.5 fine", "550 5.1.1 not fine");
    }

    @Test
    void aLongReplyKeepsItsCodeWhenItsTextIsNoLongerKept() throws Exception {
        String line = "250-" + "x".repeat(1000) + "\r\n";
        Reply r = read(line.repeat(20) + "554 last\r\n");
        assertThat(r.code()).isEqualTo(554);
        assertThat(String.join("\n", r.lines()).length())
                .isLessThan(ReplyReader.KEPT_BYTES + ReplyReader.LAST_LINE_BYTES + 8);
        assertThat(r.lines()).as("the line that decides is kept (fresh9 L2)").endsWith("554 last");
        Reply longLast = read(line.repeat(20) + "554 " + "y".repeat(2000) + "\r\n");
        assertThat(longLast.lines().get(longLast.lines().size() - 1)).startsWith("554 yyy")
                .hasSize(4 + ReplyReader.LAST_LINE_BYTES);
    }

    @Test
    void theEndOfTheStreamIsAConnectionLoss() {
        assertThatThrownBy(() -> read("250-more to come\r\n")).isInstanceOf(EOFException.class);
    }

    @Test
    void anEndlessReplyIsCutOff() {
        String endless = "250-" + "x".repeat(ReplyReader.MAX_REPLY_BYTES) + "\r\n";
        assertThatThrownBy(() -> read(endless)).isInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void extensionsAreParsedFromEhlo() throws Exception {
        Extensions e = Extensions.fromEhlo(read("250-mx.test hi\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 AUTH=LOGIN\r\n"));
        assertThat(e.has("pipelining")).isTrue();
        assertThat(e.parameters("SIZE")).contains("1000");
        assertThat(e.parameters("AUTH")).contains("LOGIN");
        assertThat(e.has("mx.test")).isFalse();
    }
}
