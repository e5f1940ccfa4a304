package dev.qremote.sender.transport.smtp;

import dev.qremote.sender.message.Chunker;
import dev.qremote.sender.message.DotStuffer;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.PartialFinalLineException;
import dev.qremote.sender.transport.TlsUpgrade;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client side of one SMTP session (RFC 5321), one method per protocol step. It knows nothing of
 * reports or policy: callers read the replies and decide. Envelope commands are pipelined (RFC 2920) when
 * the server offers it; DATA always waits for the recipients' replies.
 */
public final class SmtpClient {
    private final SmtpConnection connection;
    private Extensions extensions = Extensions.none();
    private boolean finalDotSent;

    public SmtpClient(SmtpConnection connection) {
        this.connection = connection;
    }

    public Reply greeting() throws IOException, SmtpProtocolException {
        return connection.read("greeting");
    }

    /** EHLO; on 250 the announced extensions replace whatever was known before. */
    public Reply ehlo(String heloHost) throws IOException, SmtpProtocolException {
        Reply reply = command("EHLO " + heloHost, "EHLO");
        extensions = reply.code() == 250 ? Extensions.fromEhlo(reply) : Extensions.none();
        return reply;
    }

    public Reply helo(String heloHost) throws IOException, SmtpProtocolException {
        extensions = Extensions.none();
        return command("HELO " + heloHost, "HELO");
    }

    public Extensions extensions() {
        return extensions;
    }

    /** Says STARTTLS (RFC 3207); the caller looks at the reply and, on 220, calls {@link #upgrade}. */
    public Reply startTls() throws IOException, SmtpProtocolException {
        return command("STARTTLS", "STARTTLS");
    }

    /**
     * Runs the TLS handshake. Everything learnt before it is forgotten: the buffered input and the
     * extensions, so EHLO must be said again (RFC 3207 4.2).
     */
    public void upgrade(TlsUpgrade upgrade) throws IOException {
        extensions = Extensions.none();
        connection.upgrade(upgrade);
    }

    /**
     * MAIL FROM and, when it is accepted, one RCPT TO per recipient, in order. Each RCPT reply goes to
     * {@code onRecipient} as soon as it is read, so replies read before a failure are not lost.
     *
     * @return the reply to MAIL FROM
     */
    public Reply envelope(String senderPath, String mailParameters, List<String> recipientPaths,
            Consumer<Reply> onRecipient) throws IOException, SmtpProtocolException {
        boolean pipelining = extensions.has("PIPELINING");
        connection.send("MAIL FROM:<" + senderPath + ">" + mailParameters);
        if (pipelining) {
            for (String recipient : recipientPaths) {
                connection.send("RCPT TO:<" + recipient + ">");
            }
        }
        connection.flush();
        Reply mail = connection.read("MAIL");
        if (!mail.isPositive()) {
            return mail;
        }
        for (String recipient : recipientPaths) {
            if (!pipelining) {
                connection.send("RCPT TO:<" + recipient + ">");
                connection.flush();
            }
            onRecipient.accept(connection.read("RCPT"));
        }
        return mail;
    }

    /** The mechanisms the server announced after AUTH in EHLO, upper case. */
    public java.util.Set<String> authMechanisms() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        extensions.parameters("AUTH").ifPresent(p -> {
            for (String m : p.trim().split("[ \t]+")) {
                if (!m.isEmpty()) {
                    out.add(m.toUpperCase(java.util.Locale.ROOT));
                }
            }
        });
        return out;
    }

    /**
     * One SASL exchange (RFC 4954) with {@code mechanism}; the returned step says where it ended. Nothing
     * of the credentials is kept or logged here.
     */
    public AuthStep authenticate(String mechanism, String user, String secret) throws IOException, SmtpProtocolException {
        return SaslExchange.run(this, mechanism, user, secret);
    }

    /** One AUTH command or continuation line, then its reply. */
    Reply authLine(String line) throws IOException, SmtpProtocolException {
        return command(line, "AUTH");
    }

    public Reply data() throws IOException, SmtpProtocolException {
        return command("DATA", "DATA");
    }

    /**
     * Sends the message and the final dot, then reads the reply. Once the final dot has been handed to the
     * network, {@link #finalDotSent()} is true: a failure after that point may have delivered the message.
     */
    public Reply message(InputStream message)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        DotStuffer.copy(message, connection.data());
        finalDotSent = true;
        connection.send(".");
        connection.flush();
        return connection.read("the message");
    }

    /**
     * Sends the message in BDAT chunks (RFC 3030), one ahead when the server pipelines. Returns the reply
     * to the LAST chunk, or the first refusal of an earlier one. Once the LAST chunk is on its way,
     * {@link #finalDotSent()} is true, as after the final dot of DATA.
     */
    public ChunkReply chunks(Chunker chunker)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        boolean pipelining = extensions.has("PIPELINING");
        int outstanding = 0;
        int sent = 0;
        byte[] chunk = chunker.next();
        if (chunk == null) {
            chunk = new byte[0];
        }
        while (true) {
            boolean last = chunker.wasLast();
            finalDotSent |= last;
            connection.send("BDAT " + chunk.length + (last ? " LAST" : ""));
            connection.data().write(chunk);
            connection.flush();
            outstanding++;
            sent++;
            while (outstanding > (pipelining && !last ? 1 : 0)) {
                Reply reply = connection.read("BDAT");
                outstanding--;
                if (outstanding == 0 && last) {
                    return new ChunkReply(true, reply, sent);
                }
                if (!reply.isPositive()) {
                    return new ChunkReply(false, reply, sent);
                }
            }
            chunk = chunker.next();
        }
    }

    /** The reply that ended a BDAT transfer: to the LAST chunk, or a refusal of an earlier one. */
    public record ChunkReply(boolean last, Reply reply, int chunks) {
    }

    public boolean finalDotSent() {
        return finalDotSent;
    }

    /** Says QUIT without waiting for the reply, as classic qmail does, and closes. Never fails. */
    public void quit() {
        try {
            connection.send("QUIT");
            connection.flush();
        } catch (IOException | RuntimeException ignored) {
            // the delivery result is already known
        }
        abort();
    }

    /** Closes without a word: mid-DATA, anything sent would become message text. */
    public void abort() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing left to do with this connection
        }
    }

    private Reply command(String line, String name) throws IOException, SmtpProtocolException {
        connection.send(line);
        connection.flush();
        return connection.read(name);
    }
}
