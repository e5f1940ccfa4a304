package dev.qremote.sender.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * {@link DnsResolver} on dnsjava: one query per question to a recursive resolver (the system's, or one
 * named explicitly), records of the asked type taken from the answer section (so a CNAME chain the resolver
 * followed is honoured, but nothing is rewritten), truncated UDP answers retried over TCP.
 */
public final class DnsjavaResolver implements DnsResolver {
    private final Supplier<Resolver> factory;
    private final DnssecMode mode;
    private Resolver resolver;

    /** Nothing of dnsjava is loaded until the first question: a route to an address literal asks none. */
    private DnsjavaResolver(Supplier<Resolver> factory, DnssecMode mode) {
        this.factory = factory;
        this.mode = mode;
    }

    /** The resolvers of the system configuration (/etc/resolv.conf). */
    public static DnsjavaResolver system(Duration timeout, DnssecMode mode, String trustAnchors) {
        return new DnsjavaResolver(() -> secured(new ExtendedResolver(), timeout, mode, trustAnchors), mode);
    }

    /** One explicitly named recursive resolver, for example a test server on a high port. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout, DnssecMode mode,
            String trustAnchors) {
        return new DnsjavaResolver(() -> secured(new SimpleResolver(server), timeout, mode, trustAnchors), mode);
    }

    /** Without DNSSEC: nothing is ever authentic. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout) {
        return at(server, timeout, DnssecMode.OFF, "");
    }

    private static Resolver secured(Resolver upstream, Duration timeout, DnssecMode mode, String trustAnchors) {
        upstream.setTimeout(timeout);
        if (mode != DnssecMode.VALIDATE) {
            return upstream;
        }
        ValidatingResolver validating = new ValidatingResolver(upstream);
        validating.setTimeout(timeout);
        try {
            validating.loadTrustAnchors(new ByteArrayInputStream(trustAnchors.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable DNSSEC trust anchors", e);
        }
        return validating;
    }

    private Resolver resolver() {
        if (resolver == null) {
            resolver = factory.get();
        }
        return resolver;
    }

    @Override
    public DnsAnswer<Tlsa> tlsa(String name) throws DnsTemporaryException {
        return query(name, Type.TLSA, r -> r instanceof TLSARecord t
                ? new Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData())
                : null);
    }

    @Override
    public DnsAnswer<MailExchanger> mx(String name) throws DnsTemporaryException {
        return query(name, Type.MX, r -> r instanceof MXRecord mx
                ? new MailExchanger(mx.getPriority(), hostText(mx.getTarget()))
                : null);
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String name, boolean ipv6) throws DnsTemporaryException {
        if (ipv6) {
            return query(name, Type.AAAA, r -> r instanceof AAAARecord aaaa ? aaaa.getAddress() : null);
        }
        return query(name, Type.A, r -> r instanceof ARecord a ? a.getAddress() : null);
    }

    private <T> DnsAnswer<T> query(String text, int type, Function<Record, T> convert)
            throws DnsTemporaryException {
        Name name;
        try {
            String ascii = aLabels(text);
            name = Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
        } catch (TextParseException e) {
            return new DnsAnswer.NoSuchName<>(false);
        }
        Message response;
        try {
            Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            if (mode == DnssecMode.TRUST_AD) {
                query.getHeader().setFlag(Flags.AD); // RFC 6840 5.7: ask for the AD bit
            }
            response = resolver().send(query);
        } catch (IOException e) {
            throw new DnsTemporaryException("no answer for " + text + " " + Type.string(type), e);
        }
        boolean authentic = mode != DnssecMode.OFF && response.getHeader().getFlag(Flags.AD);
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer.NoSuchName<>(authentic);
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsTemporaryException(Rcode.string(rcode) + " for " + text + " " + Type.string(type), null);
        }
        List<T> records = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                T converted = convert.apply(r);
                if (converted != null) {
                    records.add(converted);
                }
            }
        }
        return records.isEmpty() ? new DnsAnswer.NoData<>(authentic) : new DnsAnswer.Found<>(records, authentic);
    }

    /**
     * An internationalised name (its UTF-8 bytes, one char per byte, as arguments arrive) as A-labels
     * (RFC 5890) for the question; an ASCII name as it is.
     */
    static String aLabels(String text) {
        if (text.chars().allMatch(c -> c < 0x80)) {
            return text;
        }
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        try {
            String unicode = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return java.net.IDN.toASCII(unicode, java.net.IDN.ALLOW_UNASSIGNED);
        } catch (java.nio.charset.CharacterCodingException | IllegalArgumentException e) {
            return text; // not a name DNS can hold: the question will find nothing
        }
    }

    private static String hostText(Name name) {
        if (name.equals(Name.root)) {
            return ".";
        }
        return name.toString(true);
    }
}
