package dev.qremote.sender.transport.smtp;

import dev.qremote.sender.message.Chunker;
import dev.qremote.sender.message.DotStuffer;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.PartialFinalLineException;
import dev.qremote.sender.transport.TlsUpgrade;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client side of one SMTP session (RFC 5321), one method per protocol step. It knows nothing of
 * reports or policy: callers read the replies and decide. Envelope commands are pipelined (RFC 2920) when
 * the server offers it, with DATA last in the batch when the caller asks (RFC 2920 3.1); its reply is read
 * by {@link #data}, or, when no recipient was accepted, before QUIT by {@link #quitInStep}.
 *
 * <p>Every reply is checked against the codes its command allows ({@link ReplyCodes}), and before each
 * command that does not belong to a pipelined batch the input must be empty: a reply is taken as the
 * answer to a command only when it can be one. The exception is an unsolicited 421 (RFC 5321 3.8, the
 * server closing), which is returned as the reply to the command that was about to be sent, and that
 * command is not sent. Failures of these checks are {@link SmtpProtocolException}s.
 */
public final class SmtpClient {
    private final SmtpConnection connection;
    private Extensions extensions = Extensions.none();
    private boolean finalDotSent;
    private boolean mailAccepted;
    /** Between 354 and the final dot: whatever is sent becomes message text, so nothing but the message is. */
    private boolean inMessage;
    /** The session's current 250 answer to EHLO; null after HELO, before EHLO, and after a TLS handshake. */
    private Reply ehloReply;
    /** The witness EHLO after the last transaction was answered in step: the state is reset, no RSET needed. */
    private boolean resetByWitness;
    /** DATA went in the envelope's pipelined batch and its reply is still to be read. */
    private boolean dataOwed;
    /**
     * The pipelined DATA was not refused although no recipient (or the sender) was: read by {@link #quitInStep}
     * with no recipient accepted, or at once after a refused MAIL.
     */
    private boolean dataNotRefused;
    /** That answer to DATA, when it was read after a refused MAIL. */
    private List<String> dataAnswer;
    /** The witness to say with the final dot ("EHLO name" or "QUIT"), set by {@link #witnessWithFinalDot}. */
    private String witnessPlanned;
    /** The witness said with the final dot, its answer still unread; null when none. */
    private WitnessVerb witnessOwed;

    /** What a witness said with the final dot is. */
    private enum WitnessVerb { EHLO, QUIT }

    public SmtpClient(SmtpConnection connection) {
        this.connection = connection;
    }

    public Reply greeting() throws IOException, SmtpProtocolException {
        return ReplyCodes.expect(connection.read("greeting"), "greeting", ReplyCodes.GREETING);
    }

    /** EHLO; on 250 the announced extensions replace whatever was known before. */
    public Reply ehlo(String heloHost) throws IOException, SmtpProtocolException {
        Reply reply = command("EHLO " + heloHost, "EHLO", ReplyCodes.HELLO);
        extensions = reply.code() == 250 ? Extensions.fromEhlo(reply) : Extensions.none();
        ehloReply = reply.code() == 250 ? reply : null;
        return reply;
    }

    public Reply helo(String heloHost) throws IOException, SmtpProtocolException {
        extensions = Extensions.none();
        ehloReply = null;
        return command("HELO " + heloHost, "HELO", ReplyCodes.HELLO);
    }

    /** How long each later read may wait for the server (timeoutremote, or less near a deadline). */
    public void readTimeout(java.time.Duration wait) throws IOException {
        connection.readTimeout(wait);
    }

    public Extensions extensions() {
        return extensions;
    }

    /** Says STARTTLS (RFC 3207); the caller looks at the reply and, on 220, calls {@link #upgrade}. */
    public Reply startTls() throws IOException, SmtpProtocolException {
        return command("STARTTLS", "STARTTLS", ReplyCodes.STARTTLS);
    }

    /**
     * Runs the TLS handshake. Everything learnt before it is forgotten: the buffered input and the
     * extensions, so EHLO must be said again (RFC 3207 4.2).
     */
    public void upgrade(TlsUpgrade upgrade) throws IOException {
        extensions = Extensions.none();
        ehloReply = null;
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
        return envelope(senderPath, mailParameters, recipientPaths, onRecipient, null, null, false);
    }

    /**
     * As {@link #envelope(String, String, List, Consumer)}, with the reply to MAIL FROM awaited at most
     * {@code mailWait} and every later read {@code afterMail} (both null: the current read timeout): on a
     * kept session MAIL FROM is the first command, and a peer gone without a word must cost little. With
     * {@code thenData} and PIPELINING, DATA ends the batch (RFC 2920 3.1: it may be the last command of a
     * group), saving a round trip; its reply is then {@link #data}'s, or is read and judged before QUIT.
     */
    public Reply envelope(String senderPath, String mailParameters, List<String> recipientPaths,
            Consumer<Reply> onRecipient, java.time.Duration mailWait, java.time.Duration afterMail, boolean thenData)
            throws IOException, SmtpProtocolException {
        boolean pipelining = extensions.has("PIPELINING");
        Optional<Reply> closing = unsolicited("MAIL");
        if (closing.isPresent()) {
            return closing.get();
        }
        connection.send("MAIL FROM:<" + senderPath + ">" + mailParameters);
        if (pipelining) {
            for (String recipient : recipientPaths) {
                connection.send("RCPT TO:<" + recipient + ">");
            }
            if (thenData) {
                connection.send("DATA");
                dataOwed = true;
            }
        }
        connection.flush();
        if (mailWait != null) {
            connection.readTimeout(mailWait);
        }
        Reply mail = ReplyCodes.expect(connection.read("MAIL"), "MAIL", ReplyCodes.MAIL);
        if (afterMail != null) {
            connection.readTimeout(afterMail);
        }
        if (!mail.isPositive()) {
            if (pipelining && mail.code() != 421) {
                drain(recipientPaths.size(), "RCPT");
                if (dataOwed) {
                    dataOwed = false;
                    refusedSendersData();
                }
            }
            return mail;
        }
        mailAccepted = true;
        for (String recipient : recipientPaths) {
            if (!pipelining) {
                closing = unsolicited("RCPT");
                if (closing.isPresent()) {
                    onRecipient.accept(closing.get());
                    continue;
                }
                connection.send("RCPT TO:<" + recipient + ">");
                connection.flush();
            }
            onRecipient.accept(ReplyCodes.expect(connection.read("RCPT"), "RCPT", ReplyCodes.RCPT));
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
        connection.redaction().secret(secret);
        AuthStep step = SaslExchange.run(this, mechanism, user, secret);
        // a challenge was read unmasked for the exchange; ending it, it may go into a report
        return step.reply() != null && step.reply().code() == 334 ? new AuthStep(step.step(), masked(step.reply())) : step;
    }

    /** A 334 to AUTH as a report may quote it: masked as every other reply (the others are masked when read). */
    private Reply masked(Reply reply) {
        return reply.code() == 334 ? connection.redaction().applyAll(reply) : reply;
    }

    /** One AUTH command or continuation line, then its reply; from here on the line is masked in replies. */
    Reply authLine(String line) throws IOException, SmtpProtocolException {
        connection.redaction().sent(line);
        return command(line, "AUTH", ReplyCodes.AUTH);
    }

    /** DATA, or the reply to the DATA that ended the envelope's batch. */
    public Reply data() throws IOException, SmtpProtocolException {
        Reply reply;
        if (dataOwed) {
            dataOwed = false;
            reply = ReplyCodes.expect(connection.read("DATA"), "DATA", ReplyCodes.DATA);
        } else {
            reply = command("DATA", "DATA", ReplyCodes.DATA);
        }
        inMessage = reply.code() == 354;
        return reply;
    }

    /**
     * Sends the message and the final dot, then reads the reply. Once the final dot has been handed to the
     * network, {@link #finalDotSent()} is true: a failure after that point may have delivered the message.
     * A 4xx or 5xx that arrives while the message goes out (a server refusing it early, RFC 5321 4.2.5
     * notwithstanding) is returned as the reply, and no dot is said after it; anything else that arrives
     * then answers nothing and is a protocol error.
     */
    public Reply message(InputStream message)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        Optional<Reply> refused = unsolicited("the message", early -> !early.isPositive());
        if (refused.isEmpty()) {
            DotStuffer.copy(message, connection.data());
            // a reply that came while the message went out answers no dot: none is said after it
            refused = unsolicited("the final dot", early -> !early.isPositive());
        }
        if (refused.isPresent()) {
            witnessPlanned = null;
            return refused.get(); // a refusal before the dot: nothing can have been delivered
        }
        inMessage = false;
        finalDotSent = true;
        connection.send(".");
        sayPlannedWitness();
        connection.flush();
        return ReplyCodes.expect(connection.read("the message"), "the message", ReplyCodes.MESSAGE);
    }

    /**
     * Asks for the witness after the coming final dot to go in the same write, when the server pipelines (RFC
     * 2920 3.1: message data may begin a group, EHLO and QUIT may end one; not after BDAT LAST, see
     * {@link #chunks}): EHLO again when
     * {@code keepHelo} names the HELO name of a session to be kept ({@link #ehloInStep}), else QUIT
     * ({@link #quitInStep}). The replies are read in the same order as when the witness is said after the
     * dot's answer, so what they prove is the same; a round trip per message is saved. For a session to be
     * kept, EHLO goes only where {@link #ehloInStep} would say it (an EHLO answer with extensions).
     */
    public void witnessWithFinalDot(String keepHelo) {
        witnessPlanned = keepHelo != null && ehloReply != null && !extensions.keywords().isEmpty()
                ? "EHLO " + keepHelo : "QUIT";
    }

    /** Sends the planned witness after the final dot, without flushing; at most once. */
    private void sayPlannedWitness() throws IOException {
        String witness = witnessPlanned;
        witnessPlanned = null;
        if (witness != null && extensions.has("PIPELINING")) {
            connection.send(witness);
            witnessOwed = witness.startsWith("EHLO") ? WitnessVerb.EHLO : WitnessVerb.QUIT;
        }
    }

    /**
     * Sends the message in BDAT chunks (RFC 3030), one ahead when the server pipelines. Returns the reply
     * to the LAST chunk, or the first refusal of an earlier one. Once the LAST chunk is on its way,
     * {@link #finalDotSent()} is true, as after the final dot of DATA.
     */
    public ChunkReply chunks(Chunker chunker)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        boolean pipelining = extensions.has("PIPELINING");
        unsolicited("BDAT", reply -> false);
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
            if (last) {
                // not with BDAT LAST: after BDAT the witness is the only one, and silence there counts, so a
                // server that drops what was pipelined after LAST would defer (and get again) every message
                // it took (recheck9 N3); the witness is said once LAST is answered
                witnessPlanned = null;
            }
            connection.flush();
            outstanding++;
            sent++;
            while (outstanding > (pipelining && !last ? 1 : 0)) {
                Reply reply = ReplyCodes.expect(connection.read("BDAT"), "BDAT", ReplyCodes.BDAT);
                outstanding--;
                if (outstanding == 0 && last) {
                    return new ChunkReply(true, reply, sent);
                }
                if (!reply.isPositive()) {
                    refusedChunksRest(outstanding);
                    return new ChunkReply(false, reply, sent);
                }
            }
            chunk = chunker.next();
        }
    }

    /** The reply that ended a BDAT transfer: to the LAST chunk, or a refusal of an earlier one. */
    public record ChunkReply(boolean last, Reply reply, int chunks) {
    }

    /**
     * Whether {@link #quitInStep} found the pipelined DATA not refused after every recipient was: what it
     * returned is DATA's answer, and no QUIT was said.
     */
    public boolean dataNotRefused() {
        return dataNotRefused;
    }

    /** Whether MAIL FROM was accepted: from then on a transaction is under way (RFC 5321 3.3). */
    public boolean mailAccepted() {
        return mailAccepted;
    }

    public boolean finalDotSent() {
        return finalDotSent;
    }

    /**
     * Says QUIT without waiting for the reply, as classic qmail does, and closes; inside the message, or with
     * the answer to a pipelined DATA unread (a 354 would make QUIT message text), it closes only. Never fails.
     */
    public void quit() {
        if (inMessage || dataOwed || dataNotRefused || witnessOwed == WitnessVerb.QUIT) {
            abort(); // (or QUIT went with the final dot)
            return;
        }
        try {
            connection.send("QUIT");
            connection.flush();
        } catch (IOException | RuntimeException ignored) {
            // the delivery result is already known
        }
        abort();
    }

    /**
     * Says QUIT and reads what comes next, waiting at most {@code wait}, then closes; never fails. After the
     * reply taken for the message's, the next thing a server in step sends is the answer to QUIT (221, RFC
     * 5321 4.1.1.10; or 421, closing). Anything else means that reply may have answered another command:
     * with BDAT every reply is 250, so a reply too many earlier in the dialogue shows only here.
     *
     * <p>When DATA went pipelined and no recipient was accepted, its reply is read first: a refusal is in step
     * (RFC 2920 3.1), anything else (a 354: the server would take the message for recipients it refused)
     * is out of step, and the connection is closed without another word.
     *
     * <p>When QUIT (or EHLO, for a session that was to be kept) went with the final dot, it is not said again:
     * the owed EHLO answer is read first and must be that answer; then QUIT's.
     *
     * @param silenceCounts whether a hang-up, silence or a 421 instead of the answer counts as out of step
     *     (after BDAT, where a reply too many shifts only 250s and the QUIT answer is the only witness left)
     * @return empty when the server answered 221, or, unless {@code silenceCounts}, 421, hung up or stayed
     *     silent; otherwise what it sent (no lines for silence)
     */
    public Optional<List<String>> quitInStep(java.time.Duration wait, boolean silenceCounts) {
        if (inMessage) {
            abort(); // inside the message a QUIT would be message text
            return Optional.empty();
        }
        if (dataAnswer != null) {
            abort(); // after a 354 whatever is sent becomes message text
            return Optional.of(dataAnswer);
        }
        try {
            connection.readTimeout(wait);
            if (dataOwed) {
                dataOwed = false;
                Reply data = connection.read("DATA");
                if (data.code() < 400) {
                    dataNotRefused = true;
                    return Optional.of(data.lines()); // closed by finally: no QUIT can follow a 354
                }
            }
            WitnessVerb owed = witnessOwed;
            witnessOwed = null;
            if (owed == WitnessVerb.EHLO) {
                // said with the dot for a session to be kept: its answer comes first, and must be one an EHLO can
                // get: the EHLO answer, a refusal (qpsmtpd: "503 but you already said HELO", recheck9 N5), or the
                // server closing; a 250 that is no EHLO answer, or anything else, shows the replies out of step
                Reply again = connection.read("EHLO");
                if (again.code() == 421 || again.code() == 221) {
                    return Optional.empty(); // closing, in step (only after DATA: nothing is pipelined after BDAT)
                }
                boolean ehloAnswer = again.code() == 250 && (sameServer(again, ehloReply) || again.lines().size() > 1);
                if (!ehloAnswer && again.code() < 400) {
                    return Optional.of(again.lines());
                }
            }
            if (owed != WitnessVerb.QUIT) {
                connection.send("QUIT");
                connection.flush();
            }
            Reply bye = connection.read("QUIT");
            // a 421 may answer any command (RFC 5321 3.8): after BDAT, where every answer is 250, it may be the
            // late answer to BDAT LAST itself, and proves nothing (fresh9 M6)
            return bye.code() == 221 || bye.code() == 421 && !silenceCounts ? Optional.empty() : Optional.of(bye.lines());
        } catch (SmtpProtocolException e) {
            return Optional.of(e.received());
        } catch (IOException | RuntimeException e) {
            return silenceCounts ? Optional.of(List.of()) : Optional.empty();
        } finally {
            abort();
        }
    }

    /**
     * The witness after a 2xx to the final dot when the session is to be kept: EHLO again (RFC 5321 4.1.4:
     * it resets the state as RSET does), instead of QUIT. In step only when the answer is 250 with the same
     * server name (first word of the first line) and the same set of extension keywords as the session's
     * current EHLO answer: a 250 left over from the dot, a RCPT or a BDAT chunk cannot look like that. Any
     * other reply: QUIT and {@link #quitInStep}'s check, which reads the next reply (a shifted stream shows
     * there), and the connection is closed; so is it after a 421 (the server closing, in step as for QUIT).
     * After HELO, or an EHLO answer without extensions, the witness is QUIT alone and the session ends.
     *
     * @param wait how long the answer is awaited (each of them, when QUIT follows)
     * @param silenceCounts as for {@link #quitInStep}: after BDAT, silence or a reset is out of step (an orderly
     *     close before any byte of the answer is not: it shows no reply was left unread)
     * @return {@link Witness.InStep} with the session still open and ready for RSET; otherwise closed
     */
    public Witness ehloInStep(String heloHost, java.time.Duration wait, boolean silenceCounts) {
        if (inMessage || ehloReply == null || extensions.keywords().isEmpty() || witnessOwed == WitnessVerb.QUIT) {
            // a lone "250 name" answer is too like a left-over 250: such a session is not kept
            Optional<List<String>> said = quitInStep(wait, silenceCounts);
            return said.isPresent() ? new Witness.OutOfStep(said.get()) : Witness.ENDED;
        }
        Reply reply;
        try {
            connection.readTimeout(wait);
            if (witnessOwed != WitnessVerb.EHLO) {
                connection.send("EHLO " + heloHost);
                connection.flush();
            }
            witnessOwed = null;
            reply = connection.read("EHLO");
        } catch (SmtpProtocolException e) {
            abort();
            return new Witness.OutOfStep(e.received());
        } catch (ClosedBeforeReplyException e) {
            // some servers hang up on a second EHLO: after DATA nothing was left unread; after BDAT a hang-up
            // is no witness, as for QUIT (fresh9 M1: the same server gave K here and Z per process)
            abort();
            return silenceCounts ? new Witness.OutOfStep(List.of()) : Witness.ENDED;
        } catch (IOException | RuntimeException e) {
            abort();
            return silenceCounts ? new Witness.OutOfStep(List.of()) : Witness.ENDED;
        }
        if (reply.code() == 250 && sameServer(reply, ehloReply)) {
            ehloReply = reply;
            extensions = Extensions.fromEhlo(reply);
            resetByWitness = true;
            return Witness.IN_STEP; // the transaction's flags stay until the next one begins
        }
        if (reply.code() == 421) {
            abort();
            return silenceCounts ? new Witness.OutOfStep(reply.lines()) : Witness.ENDED;
        }
        // the answer was not the EHLO answer: only QUIT's 221 can still show the stream in step; silence, a
        // hang-up or a 421 there shows nothing (recheck9 N4: dot 250, a late 554 taken for EHLO's answer, a
        // close: K here where QUIT per process read the 554 and deferred)
        Optional<List<String>> said = quitInStep(wait, true);
        return said.isPresent() ? new Witness.OutOfStep(said.get()) : Witness.ENDED;
    }

    /** The same first word of the first line, and the same extension keywords in any order. */
    private static boolean sameServer(Reply now, Reply before) {
        return firstWord(now).equalsIgnoreCase(firstWord(before))
                && Extensions.fromEhlo(now).keywords().equals(Extensions.fromEhlo(before).keywords());
    }

    private static String firstWord(Reply reply) {
        String line = reply.lines().get(0);
        String text = line.length() > 4 ? line.substring(4).trim() : "";
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /**
     * RSET (RFC 5321 4.1.1.5) at the start of a transaction on a kept session: only 250 says the session is
     * usable. An unsolicited 421 waiting is returned as the reply, as for any command.
     */
    public Reply rset() throws IOException, SmtpProtocolException {
        mailAccepted = false; // a new transaction: nothing of it taken, no dot said
        finalDotSent = false;
        resetByWitness = false;
        return command("RSET", "RSET", ReplyCodes.RSET);
    }

    /**
     * Begins the next transaction on this session after one ended (its dot answered, or RSET said): nothing
     * of the new one is taken yet, no dot said (RFC 5321 3.3).
     */
    public void nextTransaction() {
        mailAccepted = false;
        finalDotSent = false;
    }

    /**
     * Whether a kept session's server sent anything while it was idle (over TLS too, where the TLS layer has
     * not yet read it): such a session is not used, as nothing it says can be attributed to a command.
     */
    public boolean saidWhileIdle() {
        try {
            return connection.saidWhileIdle();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Begins the next transaction on a kept session without RSET: the witness EHLO that kept it was answered
     * in step, and an accepted EHLO resets the state exactly as RSET does (RFC 5321 4.1.4), so RSET would
     * cost a round trip and prove nothing MAIL FROM does not (Postfix's connection cache, likewise, starts a
     * cached session with MAIL). Whether the session is still alive shows in the reply to MAIL FROM.
     *
     * @throws IllegalStateException when no witness EHLO was answered in step since the last transaction
     */
    public void resumeAfterWitness() {
        if (!resetByWitness) {
            throw new IllegalStateException("no in-step witness EHLO reset this session");
        }
        resetByWitness = false;
        mailAccepted = false; // a new transaction: nothing of it taken, no dot said
        finalDotSent = false;
    }

    /**
     * Reads the answers to the chunks sent after a refused one (one ahead when pipelining): a refusal is in
     * step; a 2xx says the server took chunks after refusing one, perhaps a cut message as a whole (fresh9
     * M3), and is a protocol error: never a bounce, and "Possible duplicate!" once LAST went.
     */
    private void refusedChunksRest(int owed) throws SmtpProtocolException {
        for (int i = 0; i < owed; i++) {
            Reply later;
            try {
                later = connection.read("BDAT");
            } catch (IOException | SmtpProtocolException e) {
                return; // the batch failed already; QUIT's answer, if any comes, still tells
            }
            if (later.isPositive()) {
                throw new SmtpProtocolException("BDAT", "a chunk taken after a refused one", later.lines());
            }
        }
    }

    /**
     * Reads the answer to the pipelined DATA after MAIL was refused: a refusal is in step; anything below 400
     * (a 354: the server would take message text for a sender it refused) is out of step, and then no QUIT
     * may follow (fresh9 M2: it went as message text) and {@link #quitInStep} reports that answer.
     */
    private void refusedSendersData() {
        try {
            Reply data = connection.read("DATA");
            if (data.code() < 400) {
                dataNotRefused = true;
                dataAnswer = data.lines();
            }
        } catch (IOException | SmtpProtocolException e) {
            // the batch failed already; QUIT's answer, if any comes, still tells
        }
    }

    /**
     * Reads the replies still owed to a pipelined batch after it failed (the RCPTs after a refused MAIL, the
     * chunk after a refused one), so that the answer to QUIT is not taken for one of them. They decide
     * nothing; a broken or missing one ends the draining.
     */
    private void drain(int owed, String command) {
        try {
            for (int i = 0; i < owed; i++) {
                connection.read(command);
            }
        } catch (IOException | SmtpProtocolException e) {
            // the batch failed already; the answer to QUIT, if any comes, still tells
        }
    }

    /**
     * Tells {@code watcher} of every reply read from now on (null: nobody), for the delivery log; the command
     * is named as in protocol errors ("greeting", "EHLO", "RCPT", "the message"), never with its arguments.
     */
    public void watchReplies(ReplyWatcher watcher) {
        connection.watch(watcher);
    }

    /** Bytes of SMTP sent on this connection so far (commands and message, before TLS adds its own). */
    public long bytesSent() {
        return connection.sent();
    }

    /** Closes without a word: mid-DATA, anything sent would become message text. */
    public void abort() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing left to do with this connection
        }
    }

    private Reply command(String line, String name, int... positive) throws IOException, SmtpProtocolException {
        Optional<Reply> closing = unsolicited(name);
        if (closing.isPresent()) {
            return closing.get();
        }
        connection.send(line);
        connection.flush();
        return ReplyCodes.expect(connection.read(name), name, positive);
    }

    /**
     * What the server sent before {@code command}: nothing, or a 421 (it is closing, RFC 5321 3.8); anything
     * else cannot be attributed to a command and is a protocol error.
     */
    private Optional<Reply> unsolicited(String command) throws IOException, SmtpProtocolException {
        return unsolicited(command, reply -> reply.code() == 421);
    }

    /**
     * Input already waiting before {@code command} is sent: empty when there is none, the reply when
     * {@code answers} takes it as the answer to what was about to be sent, otherwise (garbage included) a
     * protocol error of kind UNSOLICITED.
     */
    private Optional<Reply> unsolicited(String command, java.util.function.Predicate<Reply> answers)
            throws IOException, SmtpProtocolException {
        if (!connection.inputWaiting()) {
            return Optional.empty();
        }
        Reply early;
        try {
            early = masked(connection.read(command));
        } catch (SmtpProtocolException e) {
            throw new SmtpProtocolException(command, SmtpProtocolException.Kind.UNSOLICITED,
                    "bytes before " + command + " was sent", e.received());
        }
        if (answers.test(early)) {
            return Optional.of(early);
        }
        throw new SmtpProtocolException(command, SmtpProtocolException.Kind.UNSOLICITED,
                "a reply before " + command + " was sent", early.lines());
    }
}
