package dev.qremote.sender.tls;

/** A TLS control file says something that cannot be followed. */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }
}
