package dev.qremote.sender.dns;

import java.time.Duration;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * How long an answer may be reused. A positive answer lives as long as the shortest TTL in its answer
 * section (the RRset and any CNAME that led to it), at most a day. A negative answer (NXDOMAIN, NODATA)
 * lives as RFC 2308 section 5 says: the smaller of the SOA record's TTL and its MINIMUM field (and no longer
 * than a CNAME that led to it), at most three hours (section 5's "sensible default" ceiling); without an
 * SOA in the authority section it is not kept. Failures are never kept (see {@link DnsService}).
 */
final class CacheLifetime {
    static final Duration MAX_POSITIVE = Duration.ofDays(1);
    static final Duration MAX_NEGATIVE = Duration.ofHours(3);

    private CacheLifetime() {
    }

    /** The lifetime of a positive answer: zero when some record in the answer section has TTL zero. */
    static Duration positive(Message response) {
        long seconds = MAX_POSITIVE.toSeconds();
        for (Record r : response.getSection(Section.ANSWER)) {
            seconds = Math.min(seconds, r.getTTL());
        }
        return Duration.ofSeconds(seconds);
    }

    /** The lifetime of an NXDOMAIN or NODATA answer; empty when it has no SOA and so is not to be kept. */
    static Optional<Duration> negative(Message response) {
        SOARecord soa = null;
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord s) {
                soa = s;
                break;
            }
        }
        if (soa == null) {
            return Optional.empty();
        }
        long seconds = Math.min(MAX_NEGATIVE.toSeconds(), Math.min(soa.getTTL(), soa.getMinimum()));
        for (Record r : response.getSection(Section.ANSWER)) {
            seconds = Math.min(seconds, r.getTTL());
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }
}
