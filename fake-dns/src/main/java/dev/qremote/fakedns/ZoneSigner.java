package dev.qremote.fakedns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signs a zone (RFC 4034, 4035): adds its DNSKEY, an NSEC chain over its names in canonical order, and an
 * RRSIG over every authoritative RRset. NS sets below the apex are delegations: they get NSEC but no
 * signature, as the RFC requires.
 */
final class ZoneSigner {
    private ZoneSigner() {
    }

    static FakeZone sign(FakeZone zone, ZoneKey key, Instant inception, Instant expiration) {
        FakeZone signed = zone.copy().without(Type.DNSKEY).without(Type.NSEC).without(Type.RRSIG);
        signed.add(key.dnskey());
        Name origin = signed.origin();

        Map<Name, Set<Integer>> typesByName = new TreeMap<>();
        for (Record r : signed.records()) {
            typesByName.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
        }
        List<Name> names = new ArrayList<>(typesByName.keySet());
        for (int i = 0; i < names.size(); i++) {
            Name name = names.get(i);
            Name next = i + 1 < names.size() ? names.get(i + 1) : origin;
            Set<Integer> types = new TreeSet<>(typesByName.get(name));
            types.add(Type.NSEC);
            types.add(Type.RRSIG);
            signed.add(new NSECRecord(name, DClass.IN, FakeZone.TTL, next,
                    types.stream().mapToInt(Integer::intValue).toArray()));
        }

        Map<String, RRset> rrsets = new LinkedHashMap<>();
        for (Record r : signed.records()) {
            boolean delegation = r.getType() == Type.NS && !r.getName().equals(origin);
            if (!delegation) {
                rrsets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
            }
        }
        for (RRset rrset : rrsets.values()) {
            signed.add(signature(rrset, key, inception, expiration));
        }
        return signed;
    }

    private static RRSIGRecord signature(RRset rrset, ZoneKey key, Instant inception, Instant expiration) {
        try {
            return DNSSEC.sign(rrset, key.dnskey(), key.privateKey(), inception, expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + rrset.getName(), e);
        }
    }

    /** The same signature with one byte of its signature value flipped: it will not verify. */
    static RRSIGRecord corrupt(RRSIGRecord sig) {
        byte[] value = sig.getSignature().clone();
        value[value.length / 2] ^= 0x5a;
        return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
                sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(),
                sig.getSigner(), value);
    }
}
