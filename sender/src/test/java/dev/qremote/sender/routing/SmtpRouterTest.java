package dev.qremote.sender.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.Golden;
import dev.qremote.sender.control.ControlLine;
import dev.qremote.sender.control.KeyedTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Routes as a golden table, in the manner of Postfix's tls_policy.in/.ref: golden/routes.in holds the
 * smtproutes and authsenders lines, golden/routes.ref the route expected for each host and sender.
 */
class SmtpRouterTest {

    @Test
    void goldenTable() throws Exception {
        Map<String, List<String>> sections = new HashMap<>();
        String section = null;
        for (String line : Golden.lines("routes.in")) {
            if (line.startsWith("[")) {
                section = line.substring(1, line.length() - 1);
                sections.put(section, new ArrayList<>());
            } else {
                sections.get(section).add(line);
            }
        }
        KeyedTable smtpRoutes = KeyedTable.parse(sections.get("smtproutes"));
        KeyedTable authSenders = KeyedTable.parse(sections.get("authsenders"));
        KeyedTable qmtpRoutes = KeyedTable.parse(sections.get("qmtproutes"));
        List<String> expected = Golden.lines("routes.ref");
        List<String> actual = new ArrayList<>();
        for (String line : expected) {
            String query = line.substring(0, line.indexOf(" -> "));
            String[] parts = query.split(" \\| ", -1);
            actual.add(query + " -> " + describe(SmtpRouter.route(parts[0], parts[1].trim(), smtpRoutes, authSenders, qmtpRoutes, 25)));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @CsvSource({"x.test:relay:smtp", "x.test:relay:0", "x.test:relay:65536", "x.test:relay:", "x.test:relay;port",
        "x.test:;26|user|pass"})
    void aRouteThatCannotBeFollowedIsAnError(String line) {
        KeyedTable table = KeyedTable.parse(List.of(line));
        assertThatThrownBy(() -> SmtpRouter.route("x.test", "a@b", table, KeyedTable.empty(), 25))
                .isInstanceOf(RouteException.class);
    }

    @Test
    void noRoutesMeansMx() throws Exception {
        assertThat(describe(SmtpRouter.route("example.com", "a@b", KeyedTable.empty(), KeyedTable.empty(), 25)))
                .isEqualTo("mx example.com:25");
    }

    @Test
    void secretsNeverPrint() throws Exception {
        Route route = SmtpRouter.route("sq.test", "a@b", KeyedTable.parse(List.of("sq.test:r;26|u|topsecret")),
                KeyedTable.empty(), 25);
        assertThat(route.toString()).doesNotContain("topsecret");
    }

    /** qmail-remote-check names the line that chose a route: after fall-through, the one that decided. */
    @Test
    void theDecidingLineIsNamed() throws Exception {
        KeyedTable smtp = KeyedTable.parseNumbered(List.of(new ControlLine(2, ".example.test:relay.test:2525"),
                new ControlLine(5, "!@:bounces.test"), new ControlLine(7, ".example.test:later.test")));
        KeyedTable auth = KeyedTable.parseNumbered(List.of(new ControlLine(1, "@sender.test:")));
        KeyedTable qmtp = KeyedTable.parseNumbered(List.of(new ControlLine(3, "q.test:qmtp.test")));
        assertThat(SmtpRouter.decide("mx.example.test", "a@sender.test", smtp, auth, qmtp, 25).chosenBy())
                .as("authsenders' empty relay falls through; the later line for a key wins")
                .contains(new SmtpRouter.ChosenBy("smtproutes", ".example.test", 7));
        assertThat(SmtpRouter.decide("mx.example.test", "", smtp, auth, qmtp, 25).chosenBy())
                .contains(new SmtpRouter.ChosenBy("smtproutes", "!@", 5));
        assertThat(SmtpRouter.decide("q.test", "a@b", smtp, auth, qmtp, 25).chosenBy())
                .contains(new SmtpRouter.ChosenBy("qmtproutes", "q.test", 3));
        assertThat(SmtpRouter.decide("other.test", "a@b", smtp, auth, qmtp, 25).chosenBy()).isEmpty();
        assertThat(SmtpRouter.lineProblems(KeyedTable.parseNumbered(List.of(new ControlLine(4, "bad.test:r.test:0"))),
                "smtproutes")).containsExactly("smtproutes line 4: the route for bad.test has no valid port");
    }

    /**
     * A password holding '|' put its tail in the local-address field, and every message about that field
     * quoted it: on a line with credentials, nothing after the user is ever echoed.
     */
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "a@x.test:[127.0.0.71];2525|alice|pa|Sss1Secret|word",
        "a@x.test:[127.0.0.71];2525|alice|My|Pa55SecretTail",
        "a@x.test:[127.0.0.71];2525|alice|My|127.0.0.1%Pa55SecretTail",
        "a@x.test:[127.0.0.71]|alice|My|Pa55SecretTail|127.0.0.1"})
    void aPasswordWithABarIsNeverEchoed(String line) throws Exception {
        KeyedTable table = KeyedTable.parseNumbered(List.of(new ControlLine(1, line)));
        String expected = "the field after the password is not an IP address (a password cannot contain '|')";
        assertThat(SmtpRouter.lineProblems(table, "authsenders")).containsExactly("authsenders line 1: " + expected);
        assertThat(SmtpRouter.lineProblems(table, "smtproutes")).containsExactly("smtproutes line 1: " + expected);
        assertThatThrownBy(() -> SmtpRouter.route("q.test", "a@x.test", KeyedTable.empty(), table, 25))
                .isInstanceOf(RouteException.class).hasMessage("authsenders: " + expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Secret").doesNotContain("Sss1"));
        assertThat(SmtpRouter.localAddresses(table, "authsenders")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "a@x.test:[127.0.0.71];2525|alice|pw|127.0.0.1 => 127.0.0.1",
        "a@x.test:[127.0.0.71];2525|alice|pw|fe80::1%lo => fe80::1%lo",
        "a@x.test:[127.0.0.71];2525|alice|pw|::ffff:127.0.0.1 => ::ffff:127.0.0.1",
        "a@x.test:[127.0.0.71];2525||nonsense => nonsense"})
    void aLocalAddressAfterThePasswordStillBinds(String line, String local) throws Exception {
        KeyedTable table = KeyedTable.parseNumbered(List.of(new ControlLine(1, line)));
        assertThat(SmtpRouter.lineProblems(table, "authsenders")).isEmpty();
        assertThat(SmtpRouter.localAddresses(table, "authsenders")).containsEntry(1, local);
    }

    private static String describe(Route route) {
        if (route instanceof Route.Relay relay) {
            return "relay " + relay.relay() + ":" + relay.port() + (relay.implicitTls() ? " tls" : "")
                    + relay.credentials().map(c -> " auth " + c.user()).orElse("")
                    + relay.localAddress().map(l -> " bind " + l).orElse("") + " from " + relay.source();
        }
        if (route instanceof Route.Qmtp qmtp) {
            return (qmtp.tls() ? "qmtps " : "qmtp ") + qmtp.relay() + ":" + qmtp.port();
        }
        return "mx " + ((Route.MailExchangers) route).domain() + ":" + route.port();
    }
}
