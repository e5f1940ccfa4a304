package dev.qremote.sender.tls;

import java.security.cert.CertificateException;

/** A certificate refused by the policy; the handshake fails with this as its cause. */
public final class PeerCheckException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final PeerFailure failure;
    private final String detail;

    public PeerCheckException(PeerFailure failure, String detail) {
        super(failure + ": " + detail);
        this.failure = failure;
        this.detail = detail;
    }

    public PeerFailure failure() {
        return failure;
    }

    /** For the report: a fingerprint, never anything secret. */
    public String detail() {
        return detail;
    }
}
