package dev.qremote.fakemx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake QMTP server (or QMTPS, with TLS from the first byte): reads packages of message, sender and
 * recipients, answers one netstring per recipient, and keeps what it received. The message's first byte
 * says its line ends ("\n" LF, "\r" CRLF); the data kept is what follows it.
 */
public final class QmtpServer implements FakeServer {
    private volatile QmtpScript script;
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Transcript> transcripts = new CopyOnWriteArrayList<>();
    private AcceptLoop loop;

    private QmtpServer(QmtpScript script) {
        this.script = script;
    }

    public static QmtpServer start(InetAddress address, int port, QmtpScript script) throws IOException {
        QmtpServer server = new QmtpServer(script);
        server.loop = AcceptLoop.start(address, port, "fake-qmtp", server::serve);
        return server;
    }

    public InetSocketAddress address() {
        return loop.address();
    }

    public void script(QmtpScript script) {
        this.script = script;
    }

    public List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    public List<Transcript> transcripts() {
        return List.copyOf(transcripts);
    }

    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return loop.awaitIdle(timeout);
    }

    @Override
    public void close() {
        loop.close();
    }

    private void serve(Socket plain) {
        QmtpScript current = script;
        Transcript transcript = new Transcript();
        transcripts.add(transcript);
        Socket socket = plain;
        try {
            TlsInfo tls = null;
            if (current.tls() != null) {
                ServerTls.Handshake handshake = current.tls().handshake(plain);
                socket = handshake.socket();
                tls = handshake.info();
                transcript.note("TLS started: " + tls.protocol() + " " + tls.cipherSuite());
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Optional<byte[]> message = Netstrings.read(in);
                if (message.isEmpty()) {
                    return;
                }
                byte[] sender = Netstrings.read(in).orElseThrow(() -> new IOException("no sender"));
                byte[] recipientList = Netstrings.read(in).orElseThrow(() -> new IOException("no recipients"));
                List<String> recipients = new ArrayList<>();
                for (byte[] r : Netstrings.split(recipientList)) {
                    recipients.add(new String(r, StandardCharsets.ISO_8859_1));
                }
                byte[] body = message.get();
                transcript.note("package: " + body.length + " message bytes, sender <"
                        + new String(sender, StandardCharsets.ISO_8859_1) + ">, recipients " + recipients);
                if (!answer(current, transcript, out, body, sender, recipients, tls)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            transcript.note("connection error: " + e);
        } finally {
            AcceptLoop.closeQuietly(socket);
            transcript.note("closed");
        }
    }

    /** Sends the replies; false when the script ends the connection instead. */
    private boolean answer(QmtpScript current, Transcript transcript, OutputStream out, byte[] body, byte[] sender,
            List<String> recipients, TlsInfo tls) throws IOException {
        switch (current.fault()) {
            case CLOSE_BEFORE_REPLIES:
                return false;
            case GARBAGE:
                send(out, transcript, "HTTP/1.0 400 what?\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return false;
            default:
                break;
        }
        List<String> accepted = new ArrayList<>();
        for (String recipient : recipients) {
            String reply = current.replyFor(recipient).orElse("Kok " + Math.max(0, body.length - 1) + " bytes");
            if (reply.startsWith("K")) {
                accepted.add(recipient);
            }
            send(out, transcript, Netstrings.encode(reply));
            if (current.fault() == QmtpScript.Fault.CLOSE_AFTER_FIRST_REPLY) {
                return false;
            }
        }
        if (!accepted.isEmpty() && body.length > 0) {
            byte[] data = Arrays.copyOfRange(body, 1, body.length);
            messages.add(new ReceivedMessage(new String(sender, StandardCharsets.ISO_8859_1), List.of(),
                    accepted, data, false, tls, null));
        }
        return true;
    }

    private static void send(OutputStream out, Transcript transcript, byte[] bytes) throws IOException {
        transcript.add(Transcript.Direction.SERVER, bytes, 0, bytes.length);
        out.write(bytes);
        out.flush();
    }
}
