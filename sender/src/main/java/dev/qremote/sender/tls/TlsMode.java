package dev.qremote.sender.tls;

/** Whether TLS is used with a destination. */
public enum TlsMode {
    /** Never say STARTTLS ("!"). */
    NEVER,
    /** STARTTLS when offered; if it fails, the delivery defers ("*", the default). */
    OPPORTUNISTIC,
    /** STARTTLS when offered; after a TLS protocol error, plaintext on a new connection ("?"). */
    RELAXED,
    /** TLS or no delivery: no STARTTLS, a refused STARTTLS or a failed handshake defers. */
    MANDATORY
}
