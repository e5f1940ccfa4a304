package dev.qremote.bench;

import dev.qremote.fakedns.Exchange;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * The questions the fake DNS received during a demo and what it answered, with the AD bit, each with a note
 * naming the RFC section that makes qmail-remote ask it or use the answer.
 */
public final class DnsNotes {
    private DnsNotes() {
    }

    public static String render(List<Exchange> exchanges) {
        StringBuilder out = new StringBuilder();
        for (Exchange e : exchanges) {
            var q = e.query();
            out.append("Q: ").append(q.name()).append(' ').append(Type.string(q.type()))
                    .append(q.tcp() ? " (tcp" : " (udp").append(q.dnssecOk() ? ", DO)" : ")").append('\n');
            String answer = "A: " + e.rcode() + (e.authoritative() ? " aa" : "") + " AD=" + (e.authentic() ? 1 : 0)
                    + (e.truncated() ? " TC" : "") + (e.answers().isEmpty() ? ", no records"
                    : ": " + String.join(", ", e.answers().stream().map(DnsNotes::shorten).toList()));
            TranscriptNotes.line(out, answer, note(e));
        }
        return out.toString();
    }

    /** The TLSA parameters ("3 1 1") of the first TLSA record DNS answered with, if any. */
    public static Optional<String> tlsaParameters(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> e.query().type() == Type.TLSA).flatMap(e -> e.answers().stream())
                .filter(a -> a.startsWith("TLSA ")).map(a -> String.join(" ", List.of(a.split(" ")).subList(1, 4)))
                .findFirst();
    }

    private static String shorten(String record) {
        return record.length() <= 60 ? record : record.substring(0, 57) + "...";
    }

    private static String note(Exchange e) {
        String ad = e.authentic() ? "; AD=1: the resolver vouches it is DNSSEC-secure — RFC 4035 3.2.3" : "";
        boolean none = e.answers().stream().noneMatch(a -> a.startsWith(Type.string(e.query().type()) + " "));
        return switch (e.query().type()) {
            case Type.MX -> e.answers().contains("MX 0 .") ? "null MX: the domain takes no mail — RFC 7505 3" + ad
                    : none ? "no MX: the domain's own address is used — RFC 5321 5.1" + ad
                    : "the mail exchangers, lowest preference first — RFC 5321 5.1" + ad;
            case Type.A, Type.AAAA -> (none ? "no address of this type" : "the exchanger's address") + " — RFC 5321 5.1"
                    + ad;
            case Type.TLSA -> none ? "no TLSA record: no DANE for this host — RFC 7672 2.2" + ad
                    : "TLSA for _25._tcp.MX: usage, selector, matching type, data — RFC 6698 2.1 / RFC 7672 3.1" + ad
                            + (e.authentic() ? ", so DANE applies — RFC 7672 2.2" : "");
            case Type.DS, Type.DNSKEY -> "the DNSSEC chain of trust — RFC 4035 5" + ad;
            default -> e.authentic() ? ad.substring(2) : null;
        };
    }
}
