package dev.qremote.fakedns;

/** What the server does instead of answering a question honestly. */
public enum Fault {
    /** RCODE SERVFAIL, no records. */
    SERVFAIL,
    /** RCODE REFUSED, no records. */
    REFUSED,
    /** No reply at all: the client times out. */
    DROP,
    /** Over UDP, an empty reply with TC set, so the client must retry over TCP (which answers). */
    TRUNCATE,
    /** The honest answer, two seconds late. */
    SLOW
}
