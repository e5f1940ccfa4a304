package dev.qremote.sender.sts;

/** A policy body that RFC 8461 3.2 does not allow; the message says what is wrong (no remote bytes). */
public final class StsPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public StsPolicyException(String message) {
        super(message, null, false, false);
    }
}
