package dev.qremote.sender.tls;

/** Why a server's certificate was refused. */
public enum PeerFailure {
    /** The server sent no certificate. */
    NO_CERTIFICATE,
    /** The chain does not lead to a trusted CA (or is too deep, expired, not yet valid). */
    UNTRUSTED,
    /** No name of the certificate matches the host. */
    NAME_MISMATCH,
    /** The fingerprint differs from the pinned one. */
    PIN_MISMATCH,
    /** The pinned fingerprint has a length no supported digest gives. */
    PIN_UNKNOWN_DIGEST,
    /** DANE applies and no usable TLSA record matches. */
    TLSA_MISMATCH
}
