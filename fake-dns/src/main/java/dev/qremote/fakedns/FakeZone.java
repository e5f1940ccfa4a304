package dev.qremote.fakedns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * The records of one zone, built in code with relative or absolute names ("@" is the origin) or read from
 * master-file text. A zone always has an SOA and an NS record, which NXDOMAIN and NODATA answers need.
 */
public final class FakeZone {
    public static final long TTL = 300;

    private final Name origin;
    private final List<Record> records = new ArrayList<>();

    private FakeZone(Name origin) {
        this.origin = origin;
    }

    /** A new zone with a default SOA and NS. */
    public static FakeZone of(String origin) {
        FakeZone zone = new FakeZone(absolute(origin, Name.root));
        Name ns = zone.name("ns");
        zone.add(new SOARecord(zone.origin, DClass.IN, TTL, ns, zone.name("hostmaster"), 1, 3600, 600, 86400, TTL));
        zone.add(new NSRecord(zone.origin, DClass.IN, TTL, ns));
        return zone;
    }

    /** A zone from master-file text ($ORIGIN and $TTL honoured); it must contain its SOA. */
    public static FakeZone parse(String origin, String masterText) throws IOException {
        FakeZone zone = new FakeZone(absolute(origin, Name.root));
        try (Master master = new Master(new ByteArrayInputStream(masterText.getBytes(StandardCharsets.UTF_8)),
                zone.origin, TTL)) {
            Record r;
            while ((r = master.nextRecord()) != null) {
                zone.add(r);
            }
        }
        if (zone.records.stream().noneMatch(r -> r instanceof SOARecord)) {
            throw new IOException("zone " + origin + " has no SOA record");
        }
        return zone;
    }

    /** A copy holding the same records, to be extended (by signing, say) without touching this one. */
    FakeZone copy() {
        FakeZone copy = new FakeZone(origin);
        copy.records.addAll(records);
        return copy;
    }

    /** Removes every record of {@code type}. */
    FakeZone without(int type) {
        records.removeIf(r -> r.getType() == type);
        return this;
    }

    public Name origin() {
        return origin;
    }

    public List<Record> records() {
        return List.copyOf(records);
    }

    public FakeZone add(Record record) {
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException(record.getName() + " is not inside " + origin);
        }
        records.add(record);
        return this;
    }

    /** Takes away every record of {@code type} at {@code name} (a test changing its data between deliveries). */
    public FakeZone remove(String name, int type) {
        Name owner = name(name);
        records.removeIf(r -> r.getName().equals(owner) && r.getType() == type);
        return this;
    }

    public FakeZone a(String name, String address) {
        return add(new ARecord(name(name), DClass.IN, TTL, ip(address)));
    }

    public FakeZone aaaa(String name, String address) {
        return add(new AAAARecord(name(name), DClass.IN, TTL, ip(address)));
    }

    public FakeZone mx(String name, int preference, String exchange) {
        return add(new MXRecord(name(name), DClass.IN, TTL, preference, name(exchange)));
    }

    /** RFC 7505: "this domain accepts no mail". */
    public FakeZone nullMx(String name) {
        return add(new MXRecord(name(name), DClass.IN, TTL, 0, Name.root));
    }

    public FakeZone cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
    }

    /** A TLSA record (RFC 6698), for example at "_25._tcp.mx1". */
    public FakeZone tlsa(String name, int usage, int selector, int matchingType, byte[] data) {
        return add(new TLSARecord(name(name), DClass.IN, TTL, usage, selector, matchingType, data));
    }

    /** A delegation of {@code child} to a name server (added by signing hierarchies; rarely needed by hand). */
    public FakeZone ns(String name, String server) {
        return add(new NSRecord(name(name), DClass.IN, TTL, name(server)));
    }

    public FakeZone txt(String name, String text) {
        return add(new TXTRecord(name(name), DClass.IN, TTL, text));
    }

    /** A name relative to the origin unless it ends in a dot; "@" is the origin itself. */
    public Name name(String name) {
        if (name.equals("@")) {
            return origin;
        }
        return absolute(name, origin);
    }

    private static Name absolute(String name, Name origin) {
        try {
            return Name.fromString(name, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS name: " + name, e);
        }
    }

    private static InetAddress ip(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }
}
