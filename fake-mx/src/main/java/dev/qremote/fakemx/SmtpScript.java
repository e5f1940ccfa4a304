package dev.qremote.fakemx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import dev.qremote.fakemx.tls.IssuedCertificate;
import java.security.cert.X509Certificate;

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
    private final boolean sink;
    private final List<Rule> rules;
    private final Builder origin;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final Map<String, String> users;
    private final List<String> authMechanisms;
    private final Limits limits;

    private SmtpScript(Builder b) {
        this.limits = b.limits;
        this.origin = b.copy();
        this.tls = b.tls;
        this.implicitTls = b.implicitTls;
        this.users = Map.copyOf(b.users);
        this.authMechanisms = List.copyOf(b.authMechanisms);
        this.hostname = b.hostname;
        this.extensions = List.copyOf(b.extensions);
        this.ehloSupported = b.ehloSupported;
        this.sizeLimit = b.sizeLimit;
        this.sink = b.sink;
        this.rules = List.copyOf(b.rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding everything this script says, to change some of it. */
    public Builder toBuilder() {
        return origin.copy();
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

    /** TLS settings, or null when the server does not offer TLS. */
    public ServerTls tls() {
        return tls;
    }

    /** True for SMTPS: TLS starts at connection time, before the greeting. */
    public boolean implicitTls() {
        return implicitTls;
    }

    public Map<String, String> users() {
        return users;
    }

    /** The mechanisms announced after AUTH in EHLO; empty when no user is configured. */
    public List<String> authMechanisms() {
        return users.isEmpty() ? List.of() : authMechanisms;
    }

    /** The LIMITS the server announces and enforces (RFC 9422); {@link Limits#NONE} when it announces none. */
    public Limits limits() {
        return limits;
    }

    /** A sink keeps neither transcripts nor message data, only counts: for benchmarks. */
    public boolean sink() {
        return sink;
    }

    /** The first rule for a step that happens once per session (GREETING, MESSAGE, ...). */
    Optional<Action> ruleFor(String verb, String argument) {
        return ruleFor(verb, argument, 1);
    }

    /** {@code count}: how many times the client has said {@code verb} in this session, this time included. */
    Optional<Action> ruleFor(String verb, String argument, int count) {
        return rules.stream().filter(r -> r.matches(verb, argument, count)).map(Rule::action).findFirst();
    }

    public static final class Builder {
        private String hostname = "mx.fake.test";
        private final List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME"));
        private boolean ehloSupported = true;
        private long sizeLimit;
        private boolean sink;
        private final List<Rule> rules = new ArrayList<>();
        private ServerTls tls;
        private boolean implicitTls;
        private Limits limits = Limits.NONE;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> authMechanisms = new ArrayList<>(List.of("PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "SCRAM-SHA-256"));

        /** Offers STARTTLS with this certificate. */
        public Builder starttls(IssuedCertificate certificate) {
            tls = new ServerTls(certificate, tls == null ? null : tls.clientTrust());
            implicitTls = false;
            return this;
        }

        /** SMTPS (or QMTPS): TLS from the first byte, with this certificate. */
        public Builder implicitTls(IssuedCertificate certificate) {
            tls = new ServerTls(certificate, tls == null ? null : tls.clientTrust());
            implicitTls = true;
            return this;
        }

        /** Demands a client certificate issued by {@code trust} during the handshake. */
        public Builder clientCertificates(X509Certificate trust) {
            if (tls == null) {
                throw new IllegalStateException("configure starttls or implicitTls first");
            }
            tls = new ServerTls(tls.certificate(), trust);
            return this;
        }

        /** Accepts AUTH for {@code user} with {@code secret} (a password, or the bearer token for XOAUTH2). */
        public Builder user(String user, String secret) {
            users.put(user, secret);
            return this;
        }

        /** Replaces the mechanisms announced (default: PLAIN LOGIN CRAM-MD5 XOAUTH2 SCRAM-SHA-256). */
        public Builder authMechanisms(String... mechanisms) {
            authMechanisms.clear();
            authMechanisms.addAll(List.of(mechanisms));
            return this;
        }

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

        /**
         * Announces {@code LIMITS spec} after EHLO (RFC 9422 3) and refuses what goes beyond the MAILMAX,
         * RCPTMAX and RCPTDOMAINMAX it names with 452 4.5.3, as a real server does; the rest of the text is
         * announced as it is (malformed values included), so clients can be tried on it.
         */
        public Builder limits(String spec) {
            limits = Limits.parse(spec);
            return this;
        }

        /** Keeps no transcript and no message data (a benchmark sink); messages() then stays empty. */
        public Builder sink() {
            sink = true;
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

        /** A rule for the {@code occurrence}th time the client says {@code verb} (from 1): the second RCPT, say. */
        public Builder onNth(String verb, int occurrence, Action action) {
            rules.add(new Rule(verb, null, occurrence, action));
            return this;
        }

        /** Adds a rule as it is. */
        public Builder rule(Rule rule) {
            rules.add(rule);
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

        Builder copy() {
            Builder b = new Builder();
            b.hostname = hostname;
            b.extensions.clear();
            b.extensions.addAll(extensions);
            b.ehloSupported = ehloSupported;
            b.sizeLimit = sizeLimit;
            b.sink = sink;
            b.rules.addAll(rules);
            b.tls = tls;
            b.implicitTls = implicitTls;
            b.limits = limits;
            b.users.putAll(users);
            b.authMechanisms.clear();
            b.authMechanisms.addAll(authMechanisms);
            return b;
        }

        public SmtpScript build() {
            return new SmtpScript(this);
        }
    }
}
