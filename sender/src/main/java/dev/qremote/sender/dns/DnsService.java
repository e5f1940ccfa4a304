package dev.qremote.sender.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNS for many deliveries at once: one recursive resolver (the one in the settings, or the system's from
 * /etc/resolv.conf), one DNSSEC validator whose validated DNSKEY and DS sets are reused by every delivery,
 * and one answer cache ({@link CacheLifetime} says how long an answer is kept). Made once per
 * {@link DnsSettings}; each delivery asks through the cheap view {@link #resolver(Deadline)}.
 *
 * <p>Thread-safe. Questions asked by several deliveries at the same time go out once and every asker waits
 * for that one answer, each no longer than the timeout and its own deadline. Only answers are kept:
 * SERVFAIL, REFUSED and the like, and questions that got no answer, are asked again by the next delivery
 * (RFC 2308 section 7 allows keeping them up to five minutes; a queue retrying a domain later should find
 * out afresh). Whether an answer was authentic is kept with it. Nothing of dnsjava is loaded or configured
 * until the first question: a delivery to an address literal asks none.
 *
 * <p>dnsjava's ValidatingResolver (3.7.1) may be shared: its key cache is a synchronized map, its trust
 * anchors are loaded here before it is published and only read after, and each validation keeps its state
 * in objects of its own. Two deliveries that start validating the same zone at the same moment may both
 * fetch its keys; from then on they come from the key cache.
 */
public final class DnsService {
    /** The system's resolvers; read at the first question (not here: ResolvConf's patterns cost a fresh JVM). */
    static final java.nio.file.Path SYSTEM_RESOLV_CONF = java.nio.file.Path.of("/etc/resolv.conf");

    /**
     * Records of the asked type kept from one answer: for MX the best by preference, for others the first;
     * the rest are ignored. Real MX and address sets have tens of records at most; a 64 KB answer can
     * hold about 4,000 (read, but not kept).
     */
    static final int MAX_RECORDS = 100;
    /** The estimated bytes the answer cache may hold: some ten thousand MX or address answers. */
    static final long DEFAULT_CACHE_BYTES = 8L << 20;

    private final DnsSettings settings;
    private final Clock clock;
    private final Path resolvConf;
    private final AnswerCache cache;
    private final ConcurrentHashMap<AnswerCache.Question, CompletableFuture<Outcome>> inFlight =
            new ConcurrentHashMap<>();
    private final Object building = new Object();
    private volatile Resolver resolver;

    /** What one question came to: an answer, or (answer null) the RCODE that says there is none for now. */
    record Outcome(DnsAnswer<?> answer, int rcode) {
    }

    /** The service for {@code settings}; {@code clock} decides when kept answers expire and judges signatures. */
    public DnsService(DnsSettings settings, Clock clock) {
        this(settings, clock, SYSTEM_RESOLV_CONF, DEFAULT_CACHE_BYTES);
    }

    DnsService(DnsSettings settings, Clock clock, Path resolvConf, long cacheBytes) {
        this.settings = settings;
        this.clock = clock;
        this.resolvConf = resolvConf;
        this.cache = new AnswerCache(clock, cacheBytes);
    }

    public DnsSettings settings() {
        return settings;
    }

    /**
     * The view one delivery asks through: no question is sent once {@code deadline} has passed, and no
     * answer is waited for past it or longer than the settings' timeout. Costs one small object.
     */
    public DnsResolver resolver(Deadline deadline) {
        return new DnsjavaResolver(this, deadline);
    }

    /** Answers kept now, expired ones included until they are next asked for (for tests). */
    int cached() {
        return cache.size();
    }

    Duration timeout() {
        return settings.timeout();
    }

    /** The kept answer to {@code question}, or null. */
    DnsAnswer<?> kept(AnswerCache.Question question) {
        return cache.get(question);
    }

    /**
     * The answer to {@code question} as it will come: the one already on its way when another delivery
     * asked first, or a new question sent now. {@code convert} and {@code best} are the same for every
     * question of one type (the view's), so an answer converted for one asker fits every other.
     */
    <T> CompletableFuture<Outcome> ask(AnswerCache.Question question, Function<Record, T> convert,
            Comparator<T> best) {
        CompletableFuture<Outcome> pending = inFlight.get(question);
        if (pending != null) {
            return pending;
        }
        Resolver upstream = upstream(); // before the question is registered: a bad trust anchor throws here
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        pending = inFlight.putIfAbsent(question, mine);
        if (pending != null) {
            return pending;
        }
        DnsAnswer<?> answered = cache.get(question); // an answer that arrived since the caller looked
        if (answered != null) {
            inFlight.remove(question, mine);
            mine.complete(new Outcome(answered, Rcode.NOERROR));
            return mine;
        }
        try {
            Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
            if (settings.mode() == DnssecMode.TRUST_AD) {
                query.getHeader().setFlag(Flags.AD); // RFC 6840 5.7: ask for the AD bit
            }
            // kept first, then no longer in flight, then handed to the waiters: a waiter that asks again at
            // once finds the answer kept, or (a failure) sends a new question, never this finished one
            upstream.sendAsync(query).whenComplete((response, failure) -> {
                Outcome outcome = null;
                Throwable problem = failure;
                if (failure == null) {
                    try {
                        outcome = keep(question, response, convert, best);
                    } catch (RuntimeException e) {
                        problem = e;
                    }
                }
                inFlight.remove(question, mine);
                if (problem != null) {
                    mine.completeExceptionally(problem);
                } else {
                    mine.complete(outcome);
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(question, mine);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    /** Forgets a question that has waited a whole timeout without an answer, so that the next asker sends it anew. */
    void abandon(AnswerCache.Question question, CompletableFuture<Outcome> pending) {
        inFlight.remove(question, pending);
    }

    /**
     * The answer in {@code response}, kept for as long as it may be: records of the asked type from the
     * answer section (so a CNAME chain the resolver followed is honoured, but nothing is rewritten).
     */
    private <T> Outcome keep(AnswerCache.Question question, Message response, Function<Record, T> convert,
            Comparator<T> best) {
        boolean authentic = settings.mode() != DnssecMode.OFF && response.getHeader().getFlag(Flags.AD);
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            DnsAnswer<T> none = new DnsAnswer.NoSuchName<>(authentic);
            CacheLifetime.negative(response).ifPresent(ttl -> cache.put(question, none, ttl, 128));
            return new Outcome(none, rcode);
        }
        if (rcode != Rcode.NOERROR) {
            return new Outcome(null, rcode);
        }
        List<T> records = new ArrayList<>();
        long weight = 128;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == question.type()) {
                T converted = convert.apply(r);
                if (converted != null) {
                    records.add(converted);
                    if (records.size() <= MAX_RECORDS) {
                        weight += 48 + r.rdataToWireCanonical().length;
                    }
                }
            }
        }
        if (records.size() > MAX_RECORDS) {
            if (best != null) {
                records.sort(best);
            }
            records = records.subList(0, MAX_RECORDS);
        }
        if (records.isEmpty()) {
            DnsAnswer<T> none = new DnsAnswer.NoData<>(authentic);
            CacheLifetime.negative(response).ifPresent(ttl -> cache.put(question, none, ttl, 128));
            return new Outcome(none, rcode);
        }
        DnsAnswer<T> found = new DnsAnswer.Found<>(records, authentic);
        cache.put(question, found, CacheLifetime.positive(response), weight);
        return new Outcome(found, rcode);
    }

    private Resolver upstream() {
        Resolver built = resolver;
        if (built != null) {
            return built;
        }
        synchronized (building) {
            if (resolver == null) {
                resolver = build();
            }
            return resolver;
        }
    }

    private Resolver build() {
        Resolver upstream = settings.server().map(server -> (Resolver) new SimpleResolver(server))
                .orElseGet(this::system);
        upstream.setTimeout(settings.timeout());
        if (settings.mode() != DnssecMode.VALIDATE) {
            return upstream;
        }
        ValidatingResolver validating = new ValidatingResolver(upstream, clock);
        validating.setTimeout(settings.timeout());
        try {
            validating.loadTrustAnchors(
                    new ByteArrayInputStream(settings.trustAnchors().getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable DNSSEC trust anchors", e);
        }
        return validating;
    }

    /** As dnsjava's {@code new ExtendedResolver()} is, but from resolv.conf read here. */
    private Resolver system() {
        List<Resolver> each = new ArrayList<>();
        for (var server : ResolvConf.servers(resolvConf)) {
            SimpleResolver one = new SimpleResolver(server);
            one.setTimeout(ExtendedResolver.DEFAULT_RESOLVER_TIMEOUT);
            each.add(one);
        }
        return new ExtendedResolver(each);
    }

    static Name absolute(String ascii) throws org.xbill.DNS.TextParseException {
        return Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
    }
}
