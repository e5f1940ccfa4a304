package dev.qremote.sender.delivery;

import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.transport.smtp.SmtpClient;
import java.net.Socket;

/**
 * An SMTP session kept open between deliveries: the client (in step, its state reset by the witness EHLO),
 * the socket beneath it (registered with no delivery's cancellation while kept), how TLS checked the peer
 * ({@code tls}, null for plaintext: the K report says it), whether AUTH was skipped (the K report notes it),
 * how many deliveries it has carried, and how many mail transactions (more than deliveries when LIMITS split
 * one; the server's MAILMAX, RFC 9422 4.1, counts these).
 */
record IdleSession(SmtpClient client, Socket socket, TlsClient tls, boolean authSkipped, int uses, int transactions) {

    /** A session whose every delivery was one transaction. */
    IdleSession(SmtpClient client, Socket socket, TlsClient tls, boolean authSkipped, int uses) {
        this(client, socket, tls, authSkipped, uses, uses);
    }

    /** Says QUIT without waiting for the answer, and closes; never fails. */
    void close() {
        client.quit();
        Dialer.closeQuietly(socket);
    }
}
