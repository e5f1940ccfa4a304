package dev.qremote.sender.delivery;

import dev.qremote.sender.report.Report;

/** How one connection ended, for the walk over mail exchangers. */
sealed interface Attempt {

    /** The outcome is final: reports to print. */
    record Done(DeliveryResult result) implements Attempt {
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

    /** No connection was made (refused, timed out, or the deadline passed): nothing to report, try the next. */
    record NoConnection() implements Attempt {
    }
}
