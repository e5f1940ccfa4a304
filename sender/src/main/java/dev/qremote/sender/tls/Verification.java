package dev.qremote.sender.tls;

/** What the server's certificate must prove. */
public enum Verification {
    /** Nothing: any certificate, or none. */
    NONE,
    /** A chain to a trusted CA. */
    CA,
    /** A chain to a trusted CA, and a name that matches the host, wildcards accepted ("~"). */
    CA_AND_NAME_WILDCARD,
    /** A chain to a trusted CA, and a name equal to the host ("="). */
    CA_AND_NAME_EXACT,
    /** The certificate's fingerprint equals the one configured ("%host:=fingerprint"). */
    PINNED
}
