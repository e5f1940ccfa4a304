package dev.qremote.sender.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteTextTest {

    @Test
    void quotesEveryLineWithItsCode() {
        assertThat(RemoteText.said(List.of("550-5.1.1 a", "550 5.1.1 b")))
                .isEqualTo("Remote host said: 550-5.1.1 a\n550 5.1.1 b\n");
    }

    @Test
    void nothingSaidIsNoBlock() {
        assertThat(RemoteText.said(List.of())).isEmpty();
    }

    @Test
    void controlAndEightBitBytesBecomeQuestionMarks() {
        assertThat(RemoteText.said(List.of("550 a\0b\u001bc\u00e9d\te\rf")))
                .isEqualTo("Remote host said: 550 a?b?c?d?ef\n");
    }

    @Test
    void cappedAtFiveThousandBytes() {
        String line = "550 " + "x".repeat(996);
        String said = RemoteText.said(List.of(line, line, line, line, line, line, line));
        assertThat(said.length() - "Remote host said: ".length()).isEqualTo(RemoteText.CAP);
    }

    /** fresh9 L2: 400 lines of 250 padding and the 554 that decided a bounce; the report showed only 250s. */
    @Test
    void theLastLineIsKeptWhenTheFirstOnesPassTheCap() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add("250-2.0.0 line " + i + " of padding text here");
        }
        lines.add("554 5.7.1 rejected: the real reason");
        String said = RemoteText.said(lines);
        assertThat(said.length() - "Remote host said: ".length()).isLessThanOrEqualTo(RemoteText.CAP);
        assertThat(said).startsWith("Remote host said: 250-2.0.0 line 0 ").endsWith("\n554 5.7.1 rejected: the real reason\n");
    }

    @Test
    void hostsAreShownAsClassicOutsafeDoes() {
        assertThat(RemoteText.safe("ex ample.test\u00ff")).isEqualTo("ex?ample.test?");
    }

    @Test
    void ipv6AddressesFollowRfc5952() throws Exception {
        assertThat(Reports.format(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Reports.format(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(Reports.format(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Reports.format(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void reportBytesEndInNul() {
        Report r = Reports.forPeer(ReportTemplate.MESSAGE_ACCEPTED, InetAddress.getLoopbackAddress(),
                List.of("250 ok 1700000000 qp 42"));
        assertThat(new String(r.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("K127.0.0.1 accepted message.\nRemote host said: 250 ok 1700000000 qp 42\n\0");
    }
}
