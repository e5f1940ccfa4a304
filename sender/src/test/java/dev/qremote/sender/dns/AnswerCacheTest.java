package dev.qremote.sender.dns;

import dev.qremote.sender.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The answer cache on its own: expiry by the injected clock, bounds, and what makes a question the same. */
class AnswerCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static AnswerCache.Question q(String name, int type) {
        return new AnswerCache.Question(Name.fromConstantString(name), type);
    }

    private static DnsAnswer<String> found(String value) {
        return new DnsAnswer.Found<>(List.of(value), false);
    }

    @Test
    void anAnswerIsKeptUntilItsTtlRunsOut() {
        AnswerCache cache = new AnswerCache(clock, 10_000);
        cache.put(q("a.test.", Type.A), found("x"), Duration.ofSeconds(60), 100);
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get(q("a.test.", Type.A))).isEqualTo(found("x"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(q("a.test.", Type.A))).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theQuestionIsNameIgnoringCaseAndType() {
        AnswerCache cache = new AnswerCache(clock, 10_000);
        cache.put(q("a.test.", Type.A), found("x"), Duration.ofSeconds(60), 100);
        assertThat(cache.get(q("A.TEST.", Type.A))).isEqualTo(found("x"));
        assertThat(cache.get(q("a.test.", Type.AAAA))).isNull();
        assertThat(cache.get(q("b.a.test.", Type.A))).isNull();
    }

    @Test
    void zeroTtlKeepsNothing() {
        AnswerCache cache = new AnswerCache(clock, 10_000);
        cache.put(q("a.test.", Type.A), found("x"), Duration.ZERO, 100);
        assertThat(cache.get(q("a.test.", Type.A))).isNull();
    }

    @Test
    void theLeastRecentlyUsedGoFirstWhenTheCacheIsFull() {
        AnswerCache cache = new AnswerCache(clock, 300);
        cache.put(q("a.test.", Type.A), found("a"), Duration.ofSeconds(60), 100);
        cache.put(q("b.test.", Type.A), found("b"), Duration.ofSeconds(60), 100);
        cache.put(q("c.test.", Type.A), found("c"), Duration.ofSeconds(60), 100);
        assertThat(cache.get(q("a.test.", Type.A))).isNotNull(); // b is now the least recently used
        cache.put(q("d.test.", Type.A), found("d"), Duration.ofSeconds(60), 100);
        assertThat(cache.get(q("b.test.", Type.A))).isNull();
        assertThat(cache.get(q("a.test.", Type.A))).isNotNull();
        assertThat(cache.get(q("c.test.", Type.A))).isNotNull();
        assertThat(cache.get(q("d.test.", Type.A))).isNotNull();
        cache.put(q("e.test.", Type.A), found("e"), Duration.ofSeconds(60), 301);
        assertThat(cache.get(q("e.test.", Type.A))).as("heavier than the whole cache").isNull();
        assertThat(cache.size()).isEqualTo(3);
    }
}
