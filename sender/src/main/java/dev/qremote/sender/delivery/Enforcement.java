package dev.qremote.sender.delivery;

/** What a connection's plan enforces beyond tlsdestinations, for its reports and TLS reporting. */
enum Enforcement {
    /** Nothing beyond the plan's policy and DANE. */
    NONE,
    /** An MTA-STS policy in enforce mode: a listed MX, TLS, a certificate valid for the MX (RFC 8461 4, 5). */
    STS_ENFORCE,
    /** An MTA-STS policy in testing mode: failures recorded, not enforced. */
    STS_TESTING,
    /** An MTA-STS enforce policy waived by the message's TLS-Required: No (RFC 8689 5). */
    STS_WAIVED,
    /** DANE waived by the message's TLS-Required: No (RFC 8689 5). */
    DANE_WAIVED
}
