package dev.qremote.sender.delivery;

import dev.qremote.sender.report.Report;

/** How one connection ended, for the walk over mail exchangers. */
sealed interface Attempt {

    /**
     * The outcome is final: reports to print; {@code audit}: what an MTA-STS testing-mode audit found wrong
     * with the server's certificate (RFC 8460 4.3's name), or empty.
     */
    record Done(DeliveryResult result, String audit) implements Attempt {
        Done(DeliveryResult result) {
            this(result, "");
        }
    }

    /** This MX could not be used safely (TLS); try the next, and report this if none works. */
    record TryNext(Report report) implements Attempt {
    }

    /** A TLS protocol error where "?" allows plaintext: connect again without TLS. */
    record RetryWithoutTls() implements Attempt {
    }

    /**
     * A kept session failed before the message data went (a refusal, a 421, a lost connection, MAIL FROM
     * unanswered): it reports nothing, and the delivery goes on over a fresh connection to the same address.
     */
    record Stale() implements Attempt {
    }

    /**
     * The server's MAILMAX (RFC 9422 4.1) ended this session before every transaction of a split delivery
     * was made: the rest goes over a new connection to the same address, into the same {@link Split}.
     */
    record More(Split split) implements Attempt {
    }

    /** No connection was made (refused, timed out, or the deadline passed): nothing to report, try the next. */
    record NoConnection() implements Attempt {
    }
}
