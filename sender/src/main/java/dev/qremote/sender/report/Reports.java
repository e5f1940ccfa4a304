package dev.qremote.sender.report;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The only way to build report texts: fills a {@link ReportTemplate} with sanitised, capped values. Every
 * piece that comes from outside is capped: a host, MX or relay name (from arguments, control files or DNS)
 * at {@value #NAME_CAP} bytes, a detail (control-file text, a reason) at {@value #DETAIL_CAP}, what a
 * server said at {@link RemoteText#CAP}; a longer one is cut and ends with "...". So no report, letter and
 * NUL included, is longer than {@value #MAX_REPORT} bytes, and one that would be (it cannot, with today's
 * templates) is cut to that bound, still ending with LF.
 */
public final class Reports {
    /** A DNS name has at most 253 bytes (RFC 1035 2.3.4); a longer "name" is shown cut. */
    public static final int NAME_CAP = 255;
    public static final int DETAIL_CAP = 200;
    /** The bound on a whole report: letter, text and NUL. */
    public static final int MAX_REPORT = 6144;

    private Reports() {
    }

    public static Report of(ReportTemplate template) {
        return new Report(template, template.template());
    }

    public static Report forHost(ReportTemplate template, String host) {
        return bounded(template, template.template().replace("{host}", name(host)));
    }

    /** A report about a connected peer, with what it said (may be empty). */
    public static Report forPeer(ReportTemplate template, InetAddress peer, List<String> said) {
        return forPeer(template, peer, "", said);
    }

    public static Report forPeer(ReportTemplate template, InetAddress peer, String detail, List<String> said) {
        String text = template.template()
                .replace("{ip}", format(peer))
                .replace("{detail}", cap(printable(detail)))
                .replace("{remote}", RemoteText.said(said));
        return bounded(template, text);
    }

    /** A TLS report: the MX host's name and the destination, as s/qmail words them. */
    public static Report forTls(ReportTemplate template, InetAddress peer, String mx, String host, String detail,
            List<String> said) {
        String text = template.template()
                .replace("{ip}", format(peer))
                .replace("{mx}", name(mx))
                .replace("{host}", name(host))
                .replace("{detail}", cap(RemoteText.safe(detail)))
                .replace("{remote}", RemoteText.said(said));
        return bounded(template, text);
    }

    /** {@code report} with a note line added at its end (AUTH_SKIPPED_NOTE). */
    public static Report withNote(Report report, ReportTemplate note) {
        return withNote(report, note, "");
    }

    public static Report withNote(Report report, ReportTemplate note, String detail) {
        return bounded(report.template(), note.template().replace("{detail}", cap(printable(detail)))
                .replace("{report}", report.text()));
    }

    /** {@code report}'s text in {@code template} (its {report}), under that template's letter. */
    public static Report recast(ReportTemplate template, Report report) {
        return bounded(template, template.template().replace("{report}", report.text()));
    }

    public static Report withDetail(ReportTemplate template, String detail) {
        return bounded(template, template.template().replace("{detail}", cap(printable(detail))));
    }

    /** Dotted quad for IPv4 (as classic ip_fmt), RFC 5952 text for IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet6Address) {
            return Ipv6Text.format(address.getAddress());
        }
        return address.getHostAddress();
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 32 && c <= 126 ? c : '?');
        }
        return out.toString();
    }

    private static String cap(String s) {
        return s.length() <= DETAIL_CAP ? s : s.substring(0, DETAIL_CAP) + "...";
    }

    /** A host, MX or relay name, as classic outsafe() shows it, capped. */
    private static String name(String s) {
        String shown = RemoteText.safe(s.length() <= NAME_CAP ? s : s.substring(0, NAME_CAP));
        return s.length() <= NAME_CAP ? shown : shown + "...";
    }

    /** The last guard of {@link #MAX_REPORT}: a text that would pass it is cut, and still ends with LF. */
    private static Report bounded(ReportTemplate template, String text) {
        int room = MAX_REPORT - 2;
        return new Report(template, text.length() <= room ? text : text.substring(0, room - 4) + "...\n");
    }
}
