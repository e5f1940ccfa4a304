package dev.qremote.sender.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One delivery's view of a {@link DnsService}: the questions it asks are answered from the service's cache,
 * or sent to its resolver (truncated UDP answers retried over TCP), within this delivery's bounds.
 *
 * <p>Bounded: each question waits at most the service's timeout and never past the delivery's
 * {@link Deadline} (once it has passed no question is asked, not even of the cache: a temporary failure),
 * and at most {@link DnsService#MAX_RECORDS} records are taken from one answer, whatever a 64 KB TCP answer
 * holds. As thread-safe as its deadline's clock; meant for one delivery.
 */
public final class DnsjavaResolver implements DnsResolver {
    /** See {@link DnsService#MAX_RECORDS}. */
    static final int MAX_RECORDS = DnsService.MAX_RECORDS;
    private static final Function<Record, Tlsa> TLSA = r -> r instanceof TLSARecord t
            ? new Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData())
            : null;
    private static final Function<Record, String> TXT = r -> r instanceof TXTRecord t ? joined(t) : null;
    private static final Function<Record, MailExchanger> MX = r -> r instanceof MXRecord mx
            ? new MailExchanger(mx.getPriority(), hostText(mx.getTarget()))
            : null;
    private static final Comparator<MailExchanger> BEST_MX = Comparator.comparingInt(MailExchanger::preference);
    private static final Function<Record, InetAddress> IPV4 = r -> r instanceof ARecord a ? a.getAddress() : null;
    private static final Function<Record, InetAddress> IPV6 = r -> r instanceof AAAARecord a ? a.getAddress() : null;

    private final DnsService service;
    private final Deadline deadline;

    DnsjavaResolver(DnsService service, Deadline deadline) {
        this.service = service;
        this.deadline = deadline;
    }

    /**
     * A view of a new service of its own (nothing shared, nothing kept from before) on one explicitly named
     * recursive resolver, for example a test server on a high port.
     */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout, DnssecMode mode,
            String trustAnchors, Deadline deadline) {
        return new DnsjavaResolver(new DnsService(new DnsSettings(Optional.of(server), timeout, mode, trustAnchors),
                Clock.systemUTC()), deadline);
    }

    /**
     * A view of a new service on {@code server}, or the system's resolvers (/etc/resolv.conf) when empty;
     * without DNSSEC and without a deadline: for the operator's tools (bin/tlsrpt).
     */
    public static DnsjavaResolver of(Optional<InetSocketAddress> server, Duration timeout) {
        return new DnsjavaResolver(new DnsService(new DnsSettings(server, timeout, DnssecMode.OFF, ""),
                Clock.systemUTC()), Deadline.none());
    }

    /** Without DNSSEC (nothing is ever authentic) and without a deadline. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout) {
        return at(server, timeout, DnssecMode.OFF, "", Deadline.none());
    }

    /** Without DNSSEC, within {@code deadline}. */
    public static DnsjavaResolver at(InetSocketAddress server, Duration timeout, Deadline deadline) {
        return at(server, timeout, DnssecMode.OFF, "", deadline);
    }

    @Override
    public DnsAnswer<Tlsa> tlsa(String name) throws DnsTemporaryException {
        return query(name, Type.TLSA, TLSA, null);
    }

    @Override
    public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
        return query(name, Type.TXT, TXT, null);
    }

    private static String joined(TXTRecord record) {
        StringBuilder out = new StringBuilder();
        for (byte[] part : record.getStringsAsByteArrays()) {
            out.append(new String(part, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    @Override
    public DnsAnswer<MailExchanger> mx(String name) throws DnsTemporaryException {
        return query(name, Type.MX, MX, BEST_MX);
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String name, boolean ipv6) throws DnsTemporaryException {
        return ipv6 ? query(name, Type.AAAA, IPV6, null) : query(name, Type.A, IPV4, null);
    }

    /** {@code best}: which records to keep when the answer has more than the maximum; null: the first. */
    @SuppressWarnings("unchecked") // the service keeps for (name, type) only answers converted by this type's function
    private <T> DnsAnswer<T> query(String text, int type, Function<Record, T> convert, Comparator<T> best)
            throws DnsTemporaryException {
        Name name;
        try {
            String ascii = ALabels.of(text).orElse(text); // not a name DNS can hold: nothing is found
            if (ascii.indexOf('\\') >= 0) {
                // master-file escapes ("\065", "\.") would make dnsjava ask for another name, or a relative one
                return new DnsAnswer.NoSuchName<>(false);
            }
            name = DnsService.absolute(ascii);
        } catch (TextParseException e) {
            return new DnsAnswer.NoSuchName<>(false);
        }
        if (deadline.expired()) {
            throw new DnsTemporaryException("delivery deadline passed before " + text + " " + Type.string(type), null);
        }
        AnswerCache.Question question = new AnswerCache.Question(name, type);
        DnsAnswer<?> kept = service.kept(question);
        if (kept != null) {
            return (DnsAnswer<T>) kept;
        }
        DnsService.Outcome outcome;
        try {
            outcome = await(question, service.ask(question, convert, best));
        } catch (IOException e) {
            throw new DnsTemporaryException("no answer for " + text + " " + Type.string(type), e);
        }
        if (outcome.answer() == null) {
            throw new DnsTemporaryException(Rcode.string(outcome.rcode()) + " for " + text + " " + Type.string(type),
                    null);
        }
        return (DnsAnswer<T>) outcome.answer();
    }

    /**
     * Waits for one answer at most the timeout and not past the deadline; the resolver's own timeouts (per
     * server, per retry, per validation step) may be longer, so the wait is bounded here as a whole.
     */
    private DnsService.Outcome await(AnswerCache.Question question, CompletableFuture<DnsService.Outcome> pending)
            throws IOException {
        long nanos = deadline.bound(service.timeout()).toNanos();
        boolean wholeTimeout = nanos >= service.timeout().toNanos();
        // a cancel of this delivery wakes the wait; the question itself stays for other deliveries
        CompletableFuture<DnsService.Outcome> cancelled = new CompletableFuture<>();
        deadline.cancellation().closeOnCancel(() -> cancelled.completeExceptionally(new IOException("cancelled")));
        try {
            return pending.applyToEither(cancelled, outcome -> outcome).get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            if (wholeTimeout) {
                // a question unanswered for the whole timeout is overdue (dnsjava's own wait is the same):
                // the next delivery asks anew; one cut short by this delivery's deadline stays for the others
                service.abandon(question, pending);
            }
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
