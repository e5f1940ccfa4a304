package dev.qremote.fakemx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LIMITS (RFC 9422): announced after EHLO as written, and what goes beyond MAILMAX, RCPTMAX or RCPTDOMAINMAX
 * refused with 452 4.5.3, as a server that means its limits does; values that are not numbers enforce nothing.
 */
@ExtendWith(FakeMxExtension.class)
class LimitsTest {

    @Test
    void announcedAfterEhloAndEnforced(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("limits MAILMAX=2 RCPTMAX=2 RCPTDOMAINMAX=1"));
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            assertThat(c.command("EHLO client.test")).endsWith("\n250 LIMITS MAILMAX=2 RCPTMAX=2 RCPTDOMAINMAX=1");
            assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<x@one.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<y@two.test>")).as("a second domain").startsWith("452 4.5.3 ");
            assertThat(c.command("RCPT TO:<y@ONE.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<z@one.test>")).as("a third recipient").startsWith("452 4.5.3 ");
            assertThat(c.command("RSET")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("250 ");
            assertThat(c.command("RSET")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<a@b.test>")).as("a third transaction").startsWith("452 4.5.3 ");
        }
    }

    @Test
    void valuesThatAreNotNumbersEnforceNothing(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("limits RCPTMAX=two"));
        try (LineClient c = new LineClient(server.address())) {
            c.reply();
            assertThat(c.command("EHLO client.test")).endsWith("\n250 LIMITS RCPTMAX=two");
            c.command("MAIL FROM:<a@b.test>");
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("RCPT TO:<r" + i + "@one.test>")).startsWith("250 ");
            }
        }
    }

    /** A client that follows MAILMAX comes back on a new connection: GREETING #N picks the Nth connection. */
    @Test
    void aGreetingRuleWithANumberCountsConnections(SmtpServer server) throws Exception {
        server.script(ScriptFile.parse("on GREETING #2 reply-close 421 4.3.2 too busy"));
        try (LineClient c = new LineClient(server.address())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
        try (LineClient c = new LineClient(server.address())) {
            assertThat(c.reply()).isEqualTo("421 4.3.2 too busy");
        }
        try (LineClient c = new LineClient(server.address())) {
            assertThat(c.reply()).startsWith("220 ");
        }
    }
}
