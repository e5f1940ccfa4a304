package dev.qremote.sender.dns;

/** No usable answer for now: SERVFAIL, REFUSED, a timeout, a broken response. Worth retrying later. */
public final class DnsTemporaryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsTemporaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
