package dev.qremote.sender.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.Limits;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How LIMITS splits recipients into transactions, and how their outcomes make one set of reports. */
class SplitTest {
    private static final InetAddress PEER = InetAddress.getLoopbackAddress();
    private static final Report R = Reports.of(ReportTemplate.RECIPIENT_ACCEPTED);
    private static final Report K = Reports.forPeer(ReportTemplate.MESSAGE_ACCEPTED, PEER, List.of("250 ok"));
    private static final Report Z = Reports.forPeer(ReportTemplate.MESSAGE_REJECTED_TEMPORARILY, PEER, List.of("451 x"));
    private static final Report D = Reports.forPeer(ReportTemplate.MESSAGE_REJECTED_PERMANENTLY, PEER, List.of("554 x"));

    private static List<Optional<String>> paths(String... addresses) {
        return java.util.Arrays.stream(addresses).map(a -> a.isEmpty() ? Optional.<String>empty() : Optional.of(a)).toList();
    }

    private static List<List<Integer>> ranges(Split split, List<Optional<String>> paths, Limits limits) {
        return split.ranges(paths, limits).stream().map(r -> List.of(r[0], r[1])).toList();
    }

    @Test
    void contiguousRunsOfAtMostRcptmaxSendableRecipients() {
        List<Optional<String>> paths = paths("a@x", "", "b@x", "c@x", "d@x");
        assertThat(ranges(new Split(5, PEER), paths, new Limits(0, 2, 0)))
                .as("an unusable address rides along in its place")
                .containsExactly(List.of(0, 3), List.of(3, 5));
        assertThat(ranges(new Split(5, PEER), paths, Limits.NONE)).containsExactly(List.of(0, 5));
    }

    @Test
    void aNewRunWhereADomainBeyondRcptdomainmaxComes() {
        List<Optional<String>> paths = paths("a@x.test", "b@X.test", "c@y.test", "d@x.test");
        assertThat(ranges(new Split(4, PEER), paths, new Limits(0, 0, 1)))
                .containsExactly(List.of(0, 2), List.of(2, 3), List.of(3, 4));
        assertThat(ranges(new Split(4, PEER), paths, new Limits(0, 0, 2))).containsExactly(List.of(0, 4));
    }

    @Test
    void oneTransactionDeliveredMakesAKAndTheOthersRecipientsAreNotReportedTaken() {
        Split split = new Split(4, PEER);
        split.begin();
        split.ended(0, 2, List.of(R, R), K);
        split.begin();
        split.ended(2, 3, List.of(R), Z);
        split.begin();
        split.ended(3, 4, List.of(R), D);
        DeliveryResult result = split.result();
        assertThat(result.messageReport().letter()).isEqualTo('K');
        assertThat(result.recipientReports()).extracting(Report::letter).containsExactly('r', 'r', 's', 'h');
        assertThat(result.recipientReports().get(2).text()).startsWith(Z.text());
    }

    @Test
    void nothingDeliveredMakesNoKAndATemporaryFailureWinsOverAPermanentOne() {
        Split split = new Split(2, PEER);
        split.begin();
        split.ended(0, 1, List.of(R), D);
        split.begin();
        split.ended(1, 2, List.of(R), Z);
        assertThat(split.result().messageReport()).isEqualTo(Z);
    }

    @Test
    void theNoteCountsTheTransactionsPlannedAlsoThoseANewConnectionCouldNotMake() {
        // fresh8 F6: MAILMAX=1, the second connection refused: "split into 1 transactions"
        Split split = new Split(3, PEER);
        List<int[]> plan = split.plan(paths("a@x", "b@x", "c@x"), new Limits(1, 1, 0));
        assertThat(plan).hasSize(3);
        split.begin();
        split.ended(0, 1, List.of(R), K);
        split.rest(Reports.forPeer(ReportTemplate.GREETING_FAILED, PEER, List.of("421 busy")));
        assertThat(split.result().messageReport().text()).endsWith("Recipients split into 3 transactions, as the server's LIMITS asked (RFC 9422).\n");
    }

    @Test
    void recipientsNeverSentAreDeferredWhenSomethingWasDelivered() {
        Split split = new Split(3, PEER);
        split.begin();
        split.ended(0, 1, List.of(R), K);
        split.rest(Reports.forPeer(ReportTemplate.CONNECTION_DIED, PEER, List.of()));
        assertThat(split.result().recipientReports()).extracting(Report::letter).containsExactly('r', 's', 's');
    }

    @Test
    void noRecipientTakenAnywhereIsGivingUp() {
        Split split = new Split(2, PEER);
        Report h = Reports.forPeer(ReportTemplate.RECIPIENT_REJECTED_PERMANENTLY, PEER, List.of("550 no"));
        split.begin();
        split.ended(0, 1, List.of(h), null);
        split.begin();
        split.ended(1, 2, List.of(h), null);
        DeliveryResult result = split.result();
        assertThat(result.messageReport().template()).isEqualTo(ReportTemplate.NO_RECIPIENT_ACCEPTED);
        assertThat(result.recipientReports()).containsExactly(h, h);
    }
}
