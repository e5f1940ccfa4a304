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
    private final String why;

    public ClientIdentityException(Problem problem, String file) {
        this(problem, file, problem == Problem.MISMATCH ? "it does not belong to the certificate" : "it cannot be used");
    }

    /** {@code why}: what is wrong with the file, for an operator (qmail-remote-check); never the password. */
    public ClientIdentityException(Problem problem, String file, String why) {
        super(problem + ": " + file);
        this.problem = problem;
        this.file = file;
        this.why = why;
    }

    public Problem problem() {
        return problem;
    }

    public String file() {
        return file;
    }

    /** Why, in a few words ("no such file", "it holds no PEM certificate that can be read"). */
    public String why() {
        return why;
    }
}
