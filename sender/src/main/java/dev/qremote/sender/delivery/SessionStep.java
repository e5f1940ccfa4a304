package dev.qremote.sender.delivery;

import dev.qremote.sender.tls.TlsClient;

/**
 * How one step of an SMTP session before MAIL FROM ended (greeting, EHLO, STARTTLS and the handshake,
 * AUTH): the session goes on as it was, goes on over TLS, or is over with an attempt for the walk.
 */
sealed interface SessionStep {
    SessionStep PROCEED = new Proceed();

    /** The session goes on; nothing about the connection changed. */
    record Proceed() implements SessionStep {
    }

    /** The handshake is done: the session goes on over TLS, and {@code tls} holds how the peer was checked. */
    record Secured(TlsClient tls) implements SessionStep {
    }

    /** The session is over: {@code attempt} is what the walk gets. */
    record Ended(Attempt attempt) implements SessionStep {
    }
}
