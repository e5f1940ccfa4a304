package dev.qremote.sender.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.control.KeyedTable;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A golden table in the manner of Postfix's tls_policy.in/.ref: control lines, host, expected route. */
class SmtpRouterTest {
    private static final KeyedTable CASE_8 = KeyedTable.parse(List.of(
            ":fallback", ".example.com:", "example.com:r1:2525", "example.com:r2", "no colon here",
            "literal.test:[192.0.2.1]:26", "v6.test:[2001:db8::1]:587", "v6bare.test:[2001:db8::2]",
            "qsmtp.test:relay.test:24:user:secret", "emptyport.test::2526"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "example.com          | relay r2 25",
        "EXAMPLE.com          | relay r2 25",
        "a.example.com        | mx a.example.com 25",
        "b.a.example.com      | mx b.a.example.com 25",
        "other.org            | relay fallback 25",
        "literal.test         | relay [192.0.2.1] 26",
        "v6.test              | relay [2001:db8::1] 587",
        "v6bare.test          | relay [2001:db8::2] 25",
        "qsmtp.test           | relay relay.test 24",
        "emptyport.test       | mx emptyport.test 2526",
    })
    void routes(String host, String expected) throws Exception {
        assertThat(describe(SmtpRouter.route(host, CASE_8, 25))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"x.test:relay:smtp", "x.test:relay:0", "x.test:relay:65536", "x.test:relay:"})
    void aPortThatIsNoPortIsAnError(String line) {
        KeyedTable table = KeyedTable.parse(List.of(line));
        assertThatThrownBy(() -> SmtpRouter.route("x.test", table, 25)).isInstanceOf(RouteException.class);
    }

    @ParameterizedTest
    @CsvSource({"example.com", "other.org"})
    void noRoutesMeansMx(String host) throws Exception {
        assertThat(describe(SmtpRouter.route(host, KeyedTable.empty(), 25))).isEqualTo("mx " + host + " 25");
    }

    private static String describe(Route route) {
        if (route instanceof Route.Relay relay) {
            return "relay " + relay.relay() + " " + relay.port();
        }
        return "mx " + ((Route.MailExchangers) route).domain() + " " + route.port();
    }
}
