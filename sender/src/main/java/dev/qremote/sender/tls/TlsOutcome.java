package dev.qremote.sender.tls;

/** How the server's certificate was judged, for the K report ("TLS (verified CA+DN) ..."). */
public enum TlsOutcome {
    /** Encrypted; the certificate was not checked (opportunistic). */
    ENCRYPTED,
    /** Chain verified against the trusted CAs. */
    CA,
    /** Chain verified and a name matched, wildcards allowed. */
    CA_AND_NAME_WILDCARD,
    /** Chain verified and the exact name matched. */
    CA_AND_NAME_EXACT,
    /** The pinned fingerprint matched. */
    PINNED,
    /** A DNSSEC-validated TLSA record matched (DANE). */
    TLSA
}
