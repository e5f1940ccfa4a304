package dev.qremote.sender.tls;

/**
 * A client certificate or key that cannot be used. {@link #file()} names the file for the report; the
 * password is never part of this exception.
 */
public final class ClientIdentityException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem { CERTIFICATE, KEY, MISMATCH }

    private final Problem problem;
    private final String file;

    public ClientIdentityException(Problem problem, String file) {
        super(problem + ": " + file);
        this.problem = problem;
        this.file = file;
    }

    public Problem problem() {
        return problem;
    }

    public String file() {
        return file;
    }
}
