package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.LIMITS_SPLIT_NOTE;
import static dev.qremote.sender.report.ReportTemplate.LIMITS_TRANSACTION_DEFERRED;
import static dev.qremote.sender.report.ReportTemplate.LIMITS_TRANSACTION_REFUSED;
import static dev.qremote.sender.report.ReportTemplate.NO_RECIPIENT_ACCEPTED;

import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.Limits;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One delivery's recipients split into several mail transactions because the server's LIMITS (RFC 9422)
 * ask for it, and how their outcomes make one set of reports. Transactions take the recipients in argument
 * order, in contiguous runs, so the reports stay in argument order.
 *
 * <p>The combination, so that nothing is lost and nothing sent twice: when some transaction's message was
 * taken (a 2xx at its dot), the message report is K (qmail-send must not send that copy again), and every
 * recipient of a transaction that did not deliver (refused at DATA or the dot, lost, never begun) gets an
 * s (or an h, for a permanent refusal) in place of its r, carrying what ended its transaction: K means
 * "taken for each acceptable recipient", and those were not. When no transaction delivered, the message
 * report is the first temporary one (Z), else the first permanent one (D), else classic "Giving up" (no
 * recipient accepted anywhere); the recipient reports are the ones their RCPTs got.
 */
final class Split {
    private final int recipients;
    private final InetAddress peer;
    private final List<Segment> segments = new ArrayList<>();
    /** Argument index of the first recipient no transaction has taken yet. */
    private int next;
    /** Transactions begun (MAIL sent) for this delivery, on every connection. */
    private int begun;
    /** Transactions the split made of the recipients: those begun and those the latest {@link #plan} had left. */
    private int planned;
    /** Reports of recipients [0, next), argument order; may be fewer (a transaction's MAIL refused). */
    private final Report[] reports;

    /** The recipients [from, to) of one transaction and what ended it: null for no transaction (no RCPT taken). */
    private record Segment(int from, int to, Report report) {
    }

    Split(int recipients, InetAddress peer) {
        this.recipients = recipients;
        this.peer = peer;
        this.reports = new Report[recipients];
    }

    /**
     * The argument index ranges [from, to) of the next transactions from {@link #next()} on: each with at
     * most {@code limits.rcptMax()} recipients that can be sent and at most {@code limits.rcptDomainMax()}
     * distinct domains among them (compared without case); positions that cannot be sent ride along.
     */
    List<int[]> ranges(List<Optional<String>> paths, Limits limits) {
        List<int[]> out = new ArrayList<>();
        int start = next;
        int count = 0;
        Set<String> domains = new HashSet<>();
        for (int i = next; i < paths.size(); i++) {
            if (paths.get(i).isEmpty()) {
                continue;
            }
            String path = paths.get(i).get();
            String domain = path.substring(path.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            boolean full = limits.rcptMax() > 0 && count == limits.rcptMax()
                    || limits.rcptDomainMax() > 0 && !domains.contains(domain) && domains.size() == limits.rcptDomainMax();
            if (full && count > 0) {
                out.add(new int[] {start, i});
                start = i;
                count = 0;
                domains.clear();
            }
            count++;
            domains.add(domain);
        }
        if (start < paths.size()) {
            out.add(new int[] {start, paths.size()});
        }
        return out;
    }

    int next() {
        return next;
    }

    /**
     * {@link #ranges}, as the transactions about to be made: they count as the split's own, whether or not
     * they can be made (a new connection MAILMAX asks for may be refused).
     */
    List<int[]> plan(List<Optional<String>> paths, Limits limits) {
        List<int[]> out = ranges(paths, limits);
        planned = begun + out.size(); // the latest plan: a new connection may announce other limits
        return out;
    }

    /** Records the transaction of [from, to): the recipients' reports (fewer when MAIL was refused) and its end. */
    void ended(int from, int to, List<Report> recipientReports, Report report) {
        for (int i = 0; i < recipientReports.size() && from + i < to; i++) {
            reports[from + i] = recipientReports.get(i);
        }
        segments.add(new Segment(from, to, report));
        next = to;
    }

    /** Whether some transaction's message was taken. */
    boolean delivered() {
        return segments.stream().anyMatch(s -> s.report() != null && s.report().letter() == 'K');
    }

    /** Called as a transaction begins (before its MAIL). */
    void begin() {
        begun++;
    }

    /** Transactions begun so far. */
    int transactions() {
        return begun;
    }

    /** Transactions the recipients were split into: begun, or planned and not made. */
    int planned() {
        return Math.max(planned, begun);
    }

    /** The recipients from {@link #next()} on were never in a transaction: {@code why} ends them. */
    void rest(Report why) {
        if (next < recipients) {
            segments.add(new Segment(next, recipients, why));
            next = recipients;
        }
    }

    /** The reports to print, combined as the class comment says. */
    DeliveryResult result() {
        rest(Reports.forPeer(dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED, peer, List.of()));
        List<Report> out = new ArrayList<>();
        if (delivered()) {
            Report accepted = null;
            for (Segment segment : segments) {
                boolean took = segment.report() != null && segment.report().letter() == 'K';
                if (took) {
                    accepted = segment.report();
                }
                for (int i = segment.from(); i < segment.to(); i++) {
                    Report own = reports[i];
                    if (own != null && (took || own.letter() != 'r')) {
                        out.add(own);
                    } else {
                        out.add(Reports.recast(segment.report() != null && segment.report().letter() == 'D'
                                ? LIMITS_TRANSACTION_REFUSED : LIMITS_TRANSACTION_DEFERRED, segment.report()));
                    }
                }
            }
            return new DeliveryResult(out, Reports.withNote(accepted, LIMITS_SPLIT_NOTE,
                    Integer.toString(planned())));
        }
        Report temporary = null;
        Report permanent = null;
        for (Segment segment : segments) {
            Report report = segment.report();
            if (report != null && report.letter() == 'Z' && temporary == null) {
                temporary = report;
            } else if (report != null && report.letter() == 'D' && permanent == null) {
                permanent = report;
            }
        }
        for (int i = 0; i < recipients && reports[i] != null; i++) {
            out.add(reports[i]); // a prefix, as classic prints fewer reports in failure cases
        }
        Report message = temporary != null ? temporary : permanent != null ? permanent
                : Reports.forPeer(NO_RECIPIENT_ACCEPTED, peer, List.of());
        return new DeliveryResult(out, message);
    }
}
