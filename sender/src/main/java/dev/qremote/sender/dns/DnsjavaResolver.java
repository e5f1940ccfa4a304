package dev.qremote.sender.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>Bounded: each question waits at most {@code timeout} and never past the delivery's {@link Deadline}
 * (no question is sent once it has passed: a temporary failure), and at most {@link #MAX_RECORDS} records
 * are taken from one answer, whatever a 64 KB TCP answer holds.
 */
public final class DnsjavaResolver implements DnsResolver {
    /**
     * Records of the asked type kept from one answer: for MX the best by preference, for others the first;
     * the rest are ignored. Real MX and address sets have tens of records at most; a 64 KB answer can
     * hold about 4,000 (read, but not kept).
     */
    static final int MAX_RECORDS = 100;

    private final Supplier<Resolver> factory;
    private final DnssecMode mode;
    private final Duration timeout;
    private final Deadline deadline;
    private Resolver resolver;

    /** Nothing of dnsjava is loaded until the first question: a route to an address literal asks none. */
    private DnsjavaResolver(Supplier<Resolver> factory, DnssecMode mode, Duration timeout, Deadline deadline) {
        this.factory = factory;
        this.mode = mode;
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /** The resolvers of the system configuration (/etc/resolv.conf). */
    public static DnsjavaResolver system(Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline) {
        return new DnsjavaResolver(() -> secured(new ExtendedResolver(), timeout, mode, trustAnchors), mode, timeout,
                deadline);
    }

    /** One explicitly named recursive resolver, for example a test server on a high port. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout, DnssecMode mode,
            String trustAnchors, Deadline deadline) {
        return new DnsjavaResolver(() -> secured(new SimpleResolver(server), timeout, mode, trustAnchors), mode,
                timeout, deadline);
    }

    /** Without DNSSEC (nothing is ever authentic) and without a deadline. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout) {
        return at(server, timeout, DnssecMode.OFF, "", Deadline.none());
    }

    /** Without DNSSEC, within {@code deadline}. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout, Deadline deadline) {
        return at(server, timeout, DnssecMode.OFF, "", deadline);
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
                : null, null);
    }

    @Override
    public DnsAnswer<MailExchanger> mx(String name) throws DnsTemporaryException {
        return query(name, Type.MX, r -> r instanceof MXRecord mx
                ? new MailExchanger(mx.getPriority(), hostText(mx.getTarget()))
                : null, Comparator.comparingInt(MailExchanger::preference));
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String name, boolean ipv6) throws DnsTemporaryException {
        if (ipv6) {
            return query(name, Type.AAAA, r -> r instanceof AAAARecord aaaa ? aaaa.getAddress() : null, null);
        }
        return query(name, Type.A, r -> r instanceof ARecord a ? a.getAddress() : null, null);
    }

    /** {@code best}: which records to keep when the answer has more than {@link #MAX_RECORDS}; null: the first. */
    private <T> DnsAnswer<T> query(String text, int type, Function<Record, T> convert, Comparator<T> best)
            throws DnsTemporaryException {
        Name name;
        try {
            String ascii = ALabels.of(text).orElse(text); // not a name DNS can hold: nothing is found
            if (ascii.indexOf('\\') >= 0) {
                // master-file escapes ("\065", "\.") would make dnsjava ask for another name, or a relative one
                return new DnsAnswer.NoSuchName<>(false);
            }
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
            response = send(query, text, type);
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
        if (records.size() > MAX_RECORDS) {
            if (best != null) {
                records.sort(best);
            }
            records = records.subList(0, MAX_RECORDS);
        }
        return records.isEmpty() ? new DnsAnswer.NoData<>(authentic) : new DnsAnswer.Found<>(records, authentic);
    }

    /**
     * One question, waiting at most {@code timeout} and not past the deadline; the resolver's own timeouts
     * (per server, per retry, per validation step) may be longer, so the wait is bounded here as a whole.
     */
    private Message send(Message query, String text, int type) throws IOException, DnsTemporaryException {
        if (deadline.expired()) {
            throw new DnsTemporaryException("delivery deadline passed before " + text + " " + Type.string(type), null);
        }
        long nanos = deadline.bound(timeout).toNanos();
        try {
            return resolver().sendAsync(query).toCompletableFuture().get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + nanos / 1_000_000 + " ms", e);
        }
    }

    private static String hostText(Name name) {
        if (name.equals(Name.root)) {
            return ".";
        }
        return name.toString(true);
    }
}
