package dev.qremote.sender.dns;

import java.io.IOException;
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
import org.xbill.DNS.Type;

/**
 * {@link DnsResolver} on dnsjava: one query per question to a recursive resolver (the system's, or one
 * named explicitly), records of the asked type taken from the answer section (so a CNAME chain the resolver
 * followed is honoured, but nothing is rewritten), truncated UDP answers retried over TCP.
 */
public final class DnsjavaResolver implements DnsResolver {
    private final Supplier<Resolver> factory;
    private Resolver resolver;

    /** Nothing of dnsjava is loaded until the first question: a route to an address literal asks none. */
    private DnsjavaResolver(Supplier<Resolver> factory) {
        this.factory = factory;
    }

    /** The resolvers of the system configuration (/etc/resolv.conf). */
    public static DnsjavaResolver system(Duration timeout) {
        return new DnsjavaResolver(() -> {
            ExtendedResolver resolver = new ExtendedResolver();
            resolver.setTimeout(timeout);
            return resolver;
        });
    }

    /** One explicitly named recursive resolver, for example a test server on a high port. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout) {
        return new DnsjavaResolver(() -> {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            return resolver;
        });
    }

    private Resolver resolver() {
        if (resolver == null) {
            resolver = factory.get();
        }
        return resolver;
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
            name = Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            return new DnsAnswer.NoSuchName<>(false);
        }
        Message response;
        try {
            response = resolver().send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            throw new DnsTemporaryException("no answer for " + text + " " + Type.string(type), e);
        }
        boolean authentic = response.getHeader().getFlag(Flags.AD);
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

    private static String hostText(Name name) {
        if (name.equals(Name.root)) {
            return ".";
        }
        return name.toString(true);
    }
}
