package dev.qremote.fakemx.tls;

/** The key algorithm of a generated certificate. */
public enum KeyKind {
    RSA,
    ECDSA
}
