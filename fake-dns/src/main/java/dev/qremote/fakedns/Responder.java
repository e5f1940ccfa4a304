package dev.qremote.fakedns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one query from the zones it holds, as an authoritative server does: AA set, CNAME chains
 * followed while they stay inside our zones, NXDOMAIN versus NODATA with the zone's SOA in the authority
 * section, REFUSED for names outside every zone. DS questions are answered by the parent side of a zone
 * cut. With the DO bit, answers carry their RRSIGs and negative answers their NSEC proofs (RFC 4035 3.1).
 * No I/O here; the server handles sockets and faults.
 */
final class Responder {
    private static final int MAX_CHAIN = 8;

    private final Map<Name, FakeZone> zones = new ConcurrentHashMap<>();
    private volatile boolean actAsValidatingResolver;

    /** Sets AD on answers that come from a signed zone, as a validating resolver does for secure data. */
    void actAsValidatingResolver(boolean on) {
        actAsValidatingResolver = on;
    }

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
        if (query.getHeader().getFlag(Flags.CD)) {
            response.getHeader().setFlag(Flags.CD);
        }
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        boolean parentSide = question.getType() == Type.DS;
        Optional<FakeZone> zone = zoneFor(question.getName(), parentSide);
        if (zone.isEmpty()) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        OPTRecord opt = query.getOPT();
        boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        resolve(response, zone.get(), question.getName(), question.getType(), dnssec);
        if (actAsValidatingResolver && zone.get().records().stream().anyMatch(r -> r.getType() == Type.DNSKEY)) {
            response.getHeader().setFlag(Flags.AD);
        }
        return response;
    }

    private void resolve(Message response, FakeZone zone, Name name, int type, boolean dnssec) {
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
                    if ((r.getType() == type || type == Type.ANY) && (r.getType() != Type.RRSIG || type == Type.RRSIG)) {
                        matching.add(r);
                    } else if (r instanceof CNAMERecord c) {
                        alias = c;
                    }
                } else if (r.getName().subdomain(current)) {
                    exists = true; // an empty non-terminal exists too
                }
            }
            if (!matching.isEmpty()) {
                addSigned(response, Section.ANSWER, matching, currentZone, dnssec);
                return;
            }
            if (alias == null) {
                negative(response, currentZone, current, exists, dnssec);
                return;
            }
            addSigned(response, Section.ANSWER, List.of(alias), currentZone, dnssec);
            current = alias.getTarget();
            Optional<FakeZone> next = zoneFor(current, false);
            if (next.isEmpty()) {
                return; // the chain leaves our zones; a recursive resolver would go on from here
            }
            currentZone = next.get();
        }
        // a CNAME loop or an over-long chain: what we have is the answer, as real servers do
    }

    /** NXDOMAIN or NODATA: the SOA, and with DNSSEC the NSEC records that prove it. */
    private static void negative(Message response, FakeZone zone, Name name, boolean exists, boolean dnssec) {
        if (!exists) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        List<Record> soa = zone.records().stream().filter(r -> r instanceof SOARecord).toList();
        addSigned(response, Section.AUTHORITY, soa, zone, dnssec);
        if (!dnssec) {
            return;
        }
        Set<Record> proof = new LinkedHashSet<>();
        if (exists) {
            nsecAt(zone, name).ifPresent(proof::add);
        } else {
            covering(zone, name).ifPresent(proof::add);
            Name encloser = closestEncloser(zone, name);
            try {
                covering(zone, Name.concatenate(Name.fromConstantString("*"), encloser)).ifPresent(proof::add);
            } catch (org.xbill.DNS.NameTooLongException e) {
                // no wildcard can exist there either
            }
        }
        addSigned(response, Section.AUTHORITY, new ArrayList<>(proof), zone, true);
    }

    private static Optional<Record> nsecAt(FakeZone zone, Name name) {
        return zone.records().stream().filter(r -> r instanceof NSECRecord && r.getName().equals(name)).findFirst();
    }

    /** The NSEC whose span (owner, next) contains {@code name} in canonical order, wrapping at the apex. */
    private static Optional<Record> covering(FakeZone zone, Name name) {
        for (Record r : zone.records()) {
            if (r instanceof NSECRecord nsec) {
                Name owner = nsec.getName();
                Name next = nsec.getNext();
                boolean wraps = next.equals(zone.origin());
                if (owner.compareTo(name) < 0 && (wraps || name.compareTo(next) < 0)) {
                    return Optional.of(nsec);
                }
            }
        }
        return Optional.empty();
    }

    private static Name closestEncloser(FakeZone zone, Name name) {
        Name candidate = name;
        while (candidate.labels() > zone.origin().labels()) {
            candidate = new Name(candidate, 1);
            Name probe = candidate;
            if (zone.records().stream().anyMatch(r -> r.getName().equals(probe))) {
                return candidate;
            }
        }
        return zone.origin();
    }

    /** Adds records and, with DNSSEC, the RRSIGs covering their RRsets. */
    private static void addSigned(Message response, int section, List<Record> records, FakeZone zone,
            boolean dnssec) {
        Set<String> covered = new HashSet<>();
        for (Record r : records) {
            response.addRecord(r, section);
            covered.add(r.getName() + "/" + r.getType());
        }
        if (!dnssec) {
            return;
        }
        for (Record r : zone.records()) {
            if (r instanceof RRSIGRecord sig && covered.contains(sig.getName() + "/" + sig.getTypeCovered())) {
                response.addRecord(sig, section);
            }
        }
    }

    /**
     * The most specific zone holding {@code name}. For the parent side of a cut (DS questions), a zone
     * whose apex is the name itself does not count.
     */
    private Optional<FakeZone> zoneFor(Name name, boolean parentSide) {
        FakeZone best = null;
        for (FakeZone zone : zones.values()) {
            boolean apex = zone.origin().equals(name);
            if (name.subdomain(zone.origin()) && !(parentSide && apex && !name.equals(Name.root))
                    && (best == null || zone.origin().labels() > best.origin().labels())) {
                best = zone;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The EDNS OPT record to put in a response, when the query had one; DO is echoed. */
    static Optional<OPTRecord> ednsFor(Message query, int payload) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return Optional.empty();
        }
        return Optional.of(new OPTRecord(payload, 0, 0, opt.getFlags() & ExtendedFlags.DO));
    }
}
