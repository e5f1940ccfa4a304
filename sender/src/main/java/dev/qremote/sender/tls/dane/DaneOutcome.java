package dev.qremote.sender.tls.dane;

/** What DANE verification concluded about a server's certificate chain. */
public enum DaneOutcome {
    /** A DANE-EE record matches the server's own certificate. */
    MATCHED_END_ENTITY,
    /** A DANE-TA record matches a certificate of the chain, the chain verifies up to it and the name fits. */
    MATCHED_TRUST_ANCHOR,
    /** No usable record matches. */
    NO_MATCH
}
