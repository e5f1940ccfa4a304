package dev.qremote.sender.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Answers kept until their time to live runs out, shared by every delivery of one {@link DnsService}. Keyed
 * by the question (absolute name, case-insensitive, and type); the service's settings are fixed, so an entry
 * is never used for another server, DNSSEC mode or set of trust anchors. Bounded by an estimate of the
 * memory its entries take: the least recently used go first.
 *
 * <p>Thread-safe: one lock around a small map; a hit costs a map look-up and a clock read.
 */
final class AnswerCache {
    /** One question: the name as dnsjava's {@code Name} (whose equality ignores case) and the record type. */
    record Question(Name name, int type) {
        // written out: a record's own equals and hashCode are bootstrapped through invokedynamic
        // (ObjectMethods), about 20 ms in a fresh JVM, paid by every per-process delivery
        @Override
        public boolean equals(Object other) {
            return other instanceof Question o && type == o.type && name.equals(o.name);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + type;
        }
    }

    private record Entry(DnsAnswer<?> answer, Instant expires, long weight) {
    }

    private final Clock clock;
    private final long maxWeight;
    private final LinkedHashMap<Question, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    /** {@code maxWeight}: the estimated bytes all entries may take together. */
    AnswerCache(Clock clock, long maxWeight) {
        this.clock = clock;
        this.maxWeight = maxWeight;
    }

    /** The answer kept for {@code question}, or null when none is, or its time to live has run out. */
    synchronized DnsAnswer<?> get(Question question) {
        Entry entry = entries.get(question);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(question);
            weight -= entry.weight();
            return null;
        }
        return entry.answer();
    }

    /**
     * Keeps {@code answer} for {@code ttl} from now; a zero or negative time to live keeps nothing (RFC 1035
     * 3.2.1: zero means "this transaction only"), and neither does an answer heavier than the whole cache.
     */
    synchronized void put(Question question, DnsAnswer<?> answer, Duration ttl, long answerWeight) {
        if (ttl.isZero() || ttl.isNegative() || answerWeight > maxWeight) {
            return;
        }
        Entry old = entries.put(question, new Entry(answer, clock.instant().plus(ttl), answerWeight));
        weight += answerWeight - (old == null ? 0 : old.weight());
        Iterator<Map.Entry<Question, Entry>> eldest = entries.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    /** How many answers are kept (expired ones included until they are next asked for or evicted). */
    synchronized int size() {
        return entries.size();
    }
}
