package dev.qremote.sender.message;

import java.io.IOException;

/** Reading the message itself failed; kept apart from network errors, which mean something else. */
public final class MessageReadException extends Exception {
    private static final long serialVersionUID = 1L;

    public MessageReadException(IOException cause) {
        super(cause);
    }
}
