package dev.qremote.sender.message;

/** The message does not end with a line break; SMTP cannot carry it unchanged. */
public final class PartialFinalLineException extends Exception {
    private static final long serialVersionUID = 1L;

    public PartialFinalLineException() {
        super("the message ends with a partial line");
    }
}
