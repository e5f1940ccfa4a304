package dev.qremote.fakedns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One question and what the server sent back, for demos that show the DNS side of a delivery.
 * {@code rcode}: "NOERROR", "NXDOMAIN", ..., or "no answer" when the server stayed silent; {@code answers}:
 * the answer section as "TYPE rdata" texts, signatures and keys shortened (RRSIG by the type it covers,
 * DNSKEY by flags, algorithm and key tag). {@code authentic} is the AD bit (RFC 4035 3.2.3).
 */
public record Exchange(Query query, String rcode, boolean authoritative, boolean authentic, boolean truncated,
        List<String> answers) {

    public Exchange {
        answers = List.copyOf(answers);
    }

    static Exchange silent(Query query) {
        return new Exchange(query, "no answer", false, false, false, List.of());
    }

    static Exchange of(Query query, Message response) {
        List<String> texts = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            texts.add(text(r));
        }
        return new Exchange(query, Rcode.string(response.getRcode()), response.getHeader().getFlag(Flags.AA),
                response.getHeader().getFlag(Flags.AD), response.getHeader().getFlag(Flags.TC), texts);
    }

    private static String text(Record r) {
        String type = Type.string(r.getType());
        if (r instanceof RRSIGRecord sig) {
            return type + " over " + Type.string(sig.getTypeCovered());
        }
        if (r instanceof DNSKEYRecord key) {
            return type + " " + key.getFlags() + " " + key.getProtocol() + " " + key.getAlgorithm()
                    + " (key tag " + key.getFootprint() + ")";
        }
        return type + " " + r.rdataToString();
    }
}
