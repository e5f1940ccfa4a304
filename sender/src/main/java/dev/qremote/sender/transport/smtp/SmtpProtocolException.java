package dev.qremote.sender.transport.smtp;

import java.util.List;

/** The server sent something that is not an SMTP reply; what it sent so far is kept for the report. */
public final class SmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final transient List<String> received;

    public SmtpProtocolException(String command, String problem, List<String> received) {
        super(problem);
        this.command = command;
        this.received = List.copyOf(received);
    }

    /** The command whose reply was broken ("greeting" for the banner). */
    public String command() {
        return command;
    }

    public List<String> received() {
        return received;
    }
}
