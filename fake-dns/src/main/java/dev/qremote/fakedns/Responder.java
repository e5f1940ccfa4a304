package dev.qremote.fakedns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one query from the zones it holds, as an authoritative server does: AA set, CNAME chains
 * followed while they stay inside our zones, NXDOMAIN versus NODATA with the zone's SOA in the authority
 * section, REFUSED for names outside every zone. No I/O here; the server handles sockets and faults.
 */
final class Responder {
    private static final int MAX_CHAIN = 8;

    private final Map<Name, FakeZone> zones = new ConcurrentHashMap<>();

    void add(FakeZone zone) {
        zones.put(zone.origin(), zone);
    }

    void clear() {
        zones.clear();
    }

    Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        Optional<FakeZone> zone = zoneFor(question.getName());
        if (zone.isEmpty()) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        resolve(response, zone.get(), question.getName(), question.getType());
        return response;
    }

    private void resolve(Message response, FakeZone zone, Name name, int type) {
        Set<Name> seen = new HashSet<>();
        Name current = name;
        FakeZone currentZone = zone;
        for (int step = 0; step < MAX_CHAIN && seen.add(current); step++) {
            List<Record> matching = new ArrayList<>();
            CNAMERecord alias = null;
            boolean exists = false;
            for (Record r : currentZone.records()) {
                if (r.getName().equals(current)) {
                    exists = true;
                    if (r.getType() == type || type == Type.ANY) {
                        matching.add(r);
                    } else if (r instanceof CNAMERecord c) {
                        alias = c;
                    }
                } else if (r.getName().subdomain(current)) {
                    exists = true; // an empty non-terminal exists too
                }
            }
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return;
            }
            if (alias == null) {
                if (!exists) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                soa(currentZone).ifPresent(soa -> response.addRecord(soa, Section.AUTHORITY));
                return;
            }
            response.addRecord(alias, Section.ANSWER);
            current = alias.getTarget();
            Optional<FakeZone> next = zoneFor(current);
            if (next.isEmpty()) {
                return; // the chain leaves our zones; a recursive resolver would go on from here
            }
            currentZone = next.get();
        }
        // a CNAME loop or an over-long chain: what we have is the answer, as real servers do
    }

    private Optional<FakeZone> zoneFor(Name name) {
        FakeZone best = null;
        for (FakeZone zone : zones.values()) {
            if (name.subdomain(zone.origin()) && (best == null || zone.origin().labels() > best.origin().labels())) {
                best = zone;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<Record> soa(FakeZone zone) {
        return zone.records().stream().filter(r -> r instanceof SOARecord).findFirst();
    }

    /** The EDNS OPT record to put in a response, when the query had one. */
    static Optional<OPTRecord> ednsFor(Message query, int payload) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return Optional.empty();
        }
        return Optional.of(new OPTRecord(payload, 0, 0, opt.getFlags() & 0x8000));
    }
}
