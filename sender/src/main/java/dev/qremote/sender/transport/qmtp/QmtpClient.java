package dev.qremote.sender.transport.qmtp;

import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.transport.TimedSocket;
import dev.qremote.sender.transport.TlsUpgrade;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The client of QMTP (cr.yp.to/proto/qmtp.txt): one package (the message as a netstring whose first byte
 * "\n" says its lines end in LF, the sender, the recipients), then one reply netstring per recipient,
 * starting with K, Z or D. Replies are bounded: a server cannot make this client hold more than
 * {@value #MAX_REPLY} bytes for one.
 */
public final class QmtpClient {
    static final int MAX_REPLY = 8192;

    private final TimedSocket socket;
    private OutputStream out;
    private InputStream in;
    private boolean packageSent;
    private long bytesSent;

    public QmtpClient(Socket socket, Duration timeout, ScheduledExecutorService timer) throws IOException {
        this.socket = new TimedSocket(socket, timeout, timer);
        out = this.socket.out();
        in = this.socket.in();
    }

    /** QMTPS: TLS from the first byte. */
    public void upgrade(TlsUpgrade upgrade) throws IOException {
        socket.upgrade(upgrade);
        out = socket.out();
        in = socket.in();
    }

    /** Sends the package. Afterwards {@link #packageSent()}: a failure may have delivered the message. */
    public void send(MessageSource message, String sender, List<String> recipients)
            throws IOException, MessageReadException {
        byte[] head = (message.length() + 1 + ":\n").getBytes(StandardCharsets.US_ASCII);
        out.write(head);
        bytesSent += head.length;
        long copied = copy(message.open(), out);
        bytesSent += copied;
        if (copied != message.length()) {
            throw new MessageReadException(new IOException("the message changed while it was sent"));
        }
        out.write(',');
        byte[] from = netstring(sender.getBytes(StandardCharsets.ISO_8859_1));
        out.write(from);
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String recipient : recipients) {
            list.writeBytes(netstring(recipient.getBytes(StandardCharsets.ISO_8859_1)));
        }
        byte[] to = netstring(list.toByteArray());
        out.write(to);
        bytesSent += 1 + from.length + to.length;
        packageSent = true;
        out.flush();
    }

    /** Bytes of the package handed to the socket so far (before TLS adds its own). */
    public long bytesSent() {
        return bytesSent;
    }

    public boolean packageSent() {
        return packageSent;
    }

    /** The next reply: its letter (K, Z, D) first, then the server's text. */
    public String reply() throws IOException, QmtpProtocolException {
        long length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c < '0' || c > '9' || ++digits > 5) {
                throw new QmtpProtocolException("not a netstring");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0 || length == 0 || length > MAX_REPLY) {
            throw new QmtpProtocolException("a reply of impossible length");
        }
        byte[] reply = in.readNBytes((int) length);
        if (reply.length < length) {
            throw new EOFException("connection closed inside a reply");
        }
        if (in.read() != ',') {
            throw new QmtpProtocolException("a netstring without its comma");
        }
        char letter = (char) reply[0];
        if (letter != 'K' && letter != 'Z' && letter != 'D') {
            throw new QmtpProtocolException("a reply that is not K, Z or D");
        }
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // done either way
        }
    }

    private static long copy(InputStream from, OutputStream to) throws IOException, MessageReadException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (true) {
            int n;
            try {
                n = from.read(buffer);
            } catch (IOException e) {
                throw new MessageReadException(e);
            }
            if (n < 0) {
                return total;
            }
            to.write(buffer, 0, n);
            total += n;
        }
    }

    private static byte[] netstring(byte[] bytes) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        s.writeBytes(bytes);
        s.write(',');
        return s.toByteArray();
    }
}
