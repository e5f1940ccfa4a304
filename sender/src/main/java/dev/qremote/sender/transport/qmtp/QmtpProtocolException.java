package dev.qremote.sender.transport.qmtp;

/** The server answered with something that is not a QMTP reply. */
public final class QmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public QmtpProtocolException(String message) {
        super(message);
    }
}
