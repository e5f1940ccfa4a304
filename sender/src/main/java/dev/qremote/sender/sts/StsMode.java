package dev.qremote.sender.sts;

/** A policy's mode (RFC 8461 3.2, 5). */
public enum StsMode {
    /** Deliver only to listed MX hosts over TLS with a certificate valid for them. */
    ENFORCE,
    /** Deliver as without a policy; failures are only recorded (for TLS reporting). */
    TESTING,
    /** No policy. */
    NONE
}
