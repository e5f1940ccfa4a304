package dev.qremote.sender.transport.smtp;

import java.io.EOFException;

/**
 * The server ended the connection (an orderly close) before a single byte of the awaited reply: unlike
 * silence or a reset, this shows that no reply of the server was left unread.
 */
public final class ClosedBeforeReplyException extends EOFException {
    private static final long serialVersionUID = 1L;

    public ClosedBeforeReplyException() {
        super("connection closed by the server");
    }
}
