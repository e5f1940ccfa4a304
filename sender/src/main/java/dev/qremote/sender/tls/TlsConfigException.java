package dev.qremote.sender.tls;

/** A TLS setting that cannot be followed; {@link #kind()} says which report it deserves. */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Kind { SYNTAX, CA, CIPHERS, CONTEXT }

    private final Kind kind;

    public TlsConfigException(String message) {
        this(Kind.SYNTAX, message);
    }

    public TlsConfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
