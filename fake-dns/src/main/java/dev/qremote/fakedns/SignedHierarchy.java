package dev.qremote.fakedns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A DNSSEC tree for tests: a signed test root "." that delegates to each zone (directly, or through another
 * zone of the tree when one encloses it), with DS records for signed zones and a proven absence of DS for
 * insecure ones. A validating resolver given the one exported {@link #trustAnchor()} validates every
 * SECURE zone, sees INSECURE zones as insecure and the broken ones as bogus.
 */
public final class SignedHierarchy {
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final List<FakeZone> zones;
    private final ZoneKey rootKey;

    private SignedHierarchy(List<FakeZone> zones, ZoneKey rootKey) {
        this.zones = List.copyOf(zones);
        this.rootKey = rootKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every zone to serve, the root included. */
    public List<FakeZone> zones() {
        return zones;
    }

    /** The root's DNSKEY as a master-file line, for dnsjava's ValidatingResolver.loadTrustAnchors. */
    public String trustAnchor() {
        return rootKey.dnskey().toString() + "\n";
    }

    /** The same key as a BIND {@code trust-anchors} clause, for {@code delv -a FILE}. */
    public String bindTrustAnchors() {
        String key = rootKey.dnskey().rdataToString();
        String[] parts = key.split(" ", 4);
        return "trust-anchors {\n  \".\" static-key " + parts[0] + " " + parts[1] + " " + parts[2] + " \""
                + parts[3].replace(" ", "") + "\";\n};\n";
    }

    /** Adds every zone of the tree to {@code server}. */
    public void serveOn(FakeDnsServer server) {
        zones.forEach(server::zone);
    }

    public static final class Builder {
        private final Map<Name, FakeZone> zones = new LinkedHashMap<>();
        private final Map<Name, Trust> trust = new LinkedHashMap<>();

        public Builder zone(FakeZone zone, Trust level) {
            zones.put(zone.origin(), zone.copy());
            trust.put(zone.origin(), level);
            return this;
        }

        public SignedHierarchy build() {
            return build(Instant.now());
        }

        public SignedHierarchy build(Instant now) {
            Map<Name, FakeZone> all = new LinkedHashMap<>(zones);
            all.putIfAbsent(Name.root, FakeZone.of("."));
            trust.putIfAbsent(Name.root, Trust.SECURE);
            Map<Name, ZoneKey> keys = new LinkedHashMap<>();
            all.forEach((origin, zone) -> {
                if (trust.get(origin) != Trust.INSECURE) {
                    keys.put(origin, ZoneKey.generate(origin));
                }
            });
            for (Name origin : all.keySet()) {
                if (origin.equals(Name.root)) {
                    continue;
                }
                FakeZone parent = all.get(parentOf(origin, all).orElse(Name.root));
                parent.ns(origin.toString(), "ns." + origin);
                if (keys.containsKey(origin)) {
                    parent.add(keys.get(origin).ds());
                }
            }
            List<FakeZone> out = new ArrayList<>();
            all.forEach((origin, zone) -> out.add(finish(zone, trust.get(origin), keys.get(origin), now)));
            return new SignedHierarchy(out, keys.get(Name.root));
        }

        private static FakeZone finish(FakeZone zone, Trust level, ZoneKey key, Instant now) {
            switch (level) {
                case INSECURE:
                    return zone;
                case EXPIRED_SIGNATURE:
                    return ZoneSigner.sign(zone, key, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
                case BAD_SIGNATURE: {
                    FakeZone signed = ZoneSigner.sign(zone, key, now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
                    FakeZone broken = signed.copy().without(Type.RRSIG);
                    for (Record r : signed.records()) {
                        if (r instanceof RRSIGRecord sig) {
                            broken.add(sig.getTypeCovered() == Type.DNSKEY ? sig : ZoneSigner.corrupt(sig));
                        }
                    }
                    return broken;
                }
                case MISSING_DNSKEY: {
                    FakeZone signed = ZoneSigner.sign(zone, key, now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
                    FakeZone stripped = signed.copy().without(Type.DNSKEY).without(Type.RRSIG);
                    for (Record r : signed.records()) {
                        if (r instanceof RRSIGRecord sig && sig.getTypeCovered() != Type.DNSKEY) {
                            stripped.add(sig);
                        }
                    }
                    return stripped;
                }
                case SECURE:
                default:
                    return ZoneSigner.sign(zone, key, now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
            }
        }

        /** The closest zone of the tree that encloses {@code origin}, if any besides the root. */
        private static Optional<Name> parentOf(Name origin, Map<Name, FakeZone> all) {
            Name best = null;
            for (Name candidate : all.keySet()) {
                if (!candidate.equals(origin) && !candidate.equals(Name.root) && origin.subdomain(candidate)
                        && (best == null || candidate.labels() > best.labels())) {
                    best = candidate;
                }
            }
            return Optional.ofNullable(best);
        }
    }
}
