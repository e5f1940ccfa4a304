package dev.qremote.sender.transport.smtp;

import java.util.List;

/**
 * The server broke the protocol: a reply that is not SMTP, a code RFC 5321 4.3.2 does not allow for the
 * command, or a reply before the command it would answer was sent. What it sent is kept for the report.
 */
public final class SmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How the server broke the protocol. */
    public enum Kind {
        /** Not an SMTP reply: no code, no separator, or too long. */
        MALFORMED,
        /** A well-formed reply whose code the command does not allow (250 to DATA, 354 after the dot). */
        UNEXPECTED_CODE,
        /** Input that arrived before the command it would answer was sent. */
        UNSOLICITED
    }

    private final String command;
    private final Kind kind;
    private final transient List<String> received;

    public SmtpProtocolException(String command, String problem, List<String> received) {
        this(command, Kind.MALFORMED, problem, received);
    }

    SmtpProtocolException(String command, Kind kind, String problem, List<String> received) {
        super(problem);
        this.command = command;
        this.kind = kind;
        this.received = List.copyOf(received);
    }

    /** The command whose reply was broken ("greeting" for the banner), or that was about to be sent. */
    public String command() {
        return command;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> received() {
        return received;
    }

    /** The same failure with the received lines passed through {@code redaction}. */
    SmtpProtocolException redacted(Redaction redaction) {
        return new SmtpProtocolException(command, kind, getMessage(), redaction.apply(received));
    }
}
