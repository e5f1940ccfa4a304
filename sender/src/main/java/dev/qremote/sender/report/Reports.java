package dev.qremote.sender.report;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/** The only way to build report texts: fills a {@link ReportTemplate} with sanitised values. */
public final class Reports {
    private static final int DETAIL_CAP = 200;

    private Reports() {
    }

    public static Report of(ReportTemplate template) {
        return new Report(template, template.template());
    }

    public static Report forHost(ReportTemplate template, String host) {
        return new Report(template, template.template().replace("{host}", RemoteText.safe(host)));
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
        return new Report(template, text);
    }

    /** A TLS report: the MX host's name and the destination, as s/qmail words them. */
    public static Report forTls(ReportTemplate template, InetAddress peer, String mx, String host, String detail,
            List<String> said) {
        String text = template.template()
                .replace("{ip}", format(peer))
                .replace("{mx}", RemoteText.safe(mx))
                .replace("{host}", RemoteText.safe(host))
                .replace("{detail}", cap(RemoteText.safe(detail)))
                .replace("{remote}", RemoteText.said(said));
        return new Report(template, text);
    }

    /** {@code report} with a note line added at its end (AUTH_SKIPPED_NOTE). */
    public static Report withNote(Report report, ReportTemplate note) {
        return withNote(report, note, "");
    }

    public static Report withNote(Report report, ReportTemplate note, String detail) {
        return new Report(report.template(), note.template().replace("{detail}", cap(printable(detail)))
                .replace("{report}", report.text()));
    }

    public static Report withDetail(ReportTemplate template, String detail) {
        return new Report(template, template.template().replace("{detail}", cap(printable(detail))));
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
}
