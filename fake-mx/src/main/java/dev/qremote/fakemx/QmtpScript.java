package dev.qremote.fakemx;

import dev.qremote.fakemx.tls.IssuedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a fake QMTP server (cr.yp.to/proto/qmtp.txt) behaves: by default every recipient gets
 * "Kok N bytes"; rules give recipients whose address contains a text another reply ("Z..." or "D...").
 * Faults: close before any reply, close after the first reply, or answer with bytes that are no netstring.
 */
public final class QmtpScript {
    /** Ways to break the protocol. */
    public enum Fault { NONE, CLOSE_BEFORE_REPLIES, CLOSE_AFTER_FIRST_REPLY, GARBAGE }

    private record RecipientRule(String contains, String reply) {
    }

    private final List<RecipientRule> rules;
    private final Fault fault;
    private final ServerTls tls;

    private QmtpScript(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.fault = b.fault;
        this.tls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Fault fault() {
        return fault;
    }

    /** QMTPS: TLS from the first byte; null for plain QMTP. */
    public ServerTls tls() {
        return tls;
    }

    Optional<String> replyFor(String recipient) {
        String r = recipient.toLowerCase(Locale.ROOT);
        return rules.stream().filter(rule -> r.contains(rule.contains().toLowerCase(Locale.ROOT)))
                .map(RecipientRule::reply).findFirst();
    }

    public static final class Builder {
        private final List<RecipientRule> rules = new ArrayList<>();
        private Fault fault = Fault.NONE;
        private ServerTls tls;

        /** Recipients whose address contains {@code text} get {@code reply} (starting with K, Z or D). */
        public Builder reply(String text, String reply) {
            rules.add(new RecipientRule(text, reply));
            return this;
        }

        public Builder fault(Fault fault) {
            this.fault = fault;
            return this;
        }

        public Builder tls(IssuedCertificate certificate) {
            this.tls = new ServerTls(certificate, null);
            return this;
        }

        public QmtpScript build() {
            return new QmtpScript(this);
        }
    }
}
