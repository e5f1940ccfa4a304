package dev.qremote.fakemx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a fake SMTP server behaves. Without rules it is a polite server: 220, EHLO with the configured
 * extensions, 250 to MAIL and RCPT, 354 to DATA, 250 after the message, 221 to QUIT. Rules replace single
 * steps; the first matching rule wins.
 */
public final class SmtpScript {
    private final String hostname;
    private final List<String> extensions;
    private final boolean ehloSupported;
    private final long sizeLimit;
    private final List<Rule> rules;

    private SmtpScript(Builder b) {
        this.hostname = b.hostname;
        this.extensions = List.copyOf(b.extensions);
        this.ehloSupported = b.ehloSupported;
        this.sizeLimit = b.sizeLimit;
        this.rules = List.copyOf(b.rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The polite default server. */
    public static SmtpScript polite() {
        return builder().build();
    }

    public String hostname() {
        return hostname;
    }

    public List<String> extensions() {
        return extensions;
    }

    public boolean ehloSupported() {
        return ehloSupported;
    }

    /** Largest message accepted, in bytes after dot-unstuffing; 0 means no limit. */
    public long sizeLimit() {
        return sizeLimit;
    }

    Optional<Action> ruleFor(String verb, String argument) {
        return rules.stream().filter(r -> r.matches(verb, argument)).map(Rule::action).findFirst();
    }

    public static final class Builder {
        private String hostname = "mx.fake.test";
        private final List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME"));
        private boolean ehloSupported = true;
        private long sizeLimit;
        private final List<Rule> rules = new ArrayList<>();

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** Replaces the extensions announced after EHLO (default: PIPELINING, 8BITMIME). */
        public Builder extensions(String... keywords) {
            extensions.clear();
            extensions.addAll(List.of(keywords));
            return this;
        }

        /** Answers EHLO with 500, as an old HELO-only server does. */
        public Builder heloOnly() {
            ehloSupported = false;
            return this;
        }

        /** Announces SIZE and rejects larger messages with 552 after the data. */
        public Builder sizeLimit(long bytes) {
            sizeLimit = bytes;
            return this;
        }

        public Builder on(String verb, Action action) {
            rules.add(new Rule(verb, null, action));
            return this;
        }

        public Builder on(String verb, String argumentContains, Action action) {
            rules.add(new Rule(verb, argumentContains, action));
            return this;
        }

        public Builder greeting(int code, String... lines) {
            return on("GREETING", Action.reply(code, lines));
        }

        public Builder greetingDelay(Duration delay) {
            return on("GREETING", new Action.Delay(delay, Action.reply(220, hostname + " ESMTP fake-mx")));
        }

        /** The reply after the final dot. */
        public Builder afterMessage(Action action) {
            return on("MESSAGE", action);
        }

        public SmtpScript build() {
            return new SmtpScript(this);
        }
    }
}
