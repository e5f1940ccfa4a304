package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.AUTH_CHALLENGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.AUTH_NEEDS_TLS;
import static dev.qremote.sender.report.ReportTemplate.AUTH_REJECTED;
import static dev.qremote.sender.report.ReportTemplate.AUTH_SKIPPED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.CHUNKED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.DATA_AFTER_REFUSED_SENDER;
import static dev.qremote.sender.report.ReportTemplate.DATA_WITHOUT_RECIPIENT;
import static dev.qremote.sender.report.ReportTemplate.GREETING_FAILED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_TOO_BIG;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.NAME_REJECTED;
import static dev.qremote.sender.report.ReportTemplate.NO_RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.PARTIAL_FINAL_LINE;
import static dev.qremote.sender.report.ReportTemplate.PROTOCOL_VIOLATION;
import static dev.qremote.sender.report.ReportTemplate.PROTOCOL_VIOLATION_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.SPLIT_OUT_OF_STEP;
import static dev.qremote.sender.report.ReportTemplate.UNSOLICITED_REPLY;
import static dev.qremote.sender.report.ReportTemplate.OUT_OF_STEP;
import static dev.qremote.sender.report.ReportTemplate.OUT_OF_STEP_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_UNUSABLE;
import static dev.qremote.sender.report.ReportTemplate.SMTPUTF8_UNAVAILABLE;

import dev.qremote.sender.message.Chunker;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.PartialFinalLineException;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.ReportTemplate.Refusal;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.AuthMechanisms;
import dev.qremote.sender.transport.smtp.AuthStep;
import dev.qremote.sender.transport.smtp.Limits;
import dev.qremote.sender.transport.smtp.Reply;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.transport.smtp.SmtpProtocolException;
import dev.qremote.sender.transport.smtp.Witness;
import dev.qremote.sender.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One SMTP session (RFC 5321 2.3.8: greeting to QUIT on one connection, carrying at most one mail
 * transaction) and what each reply means for the reports (the classic qmail-remote smtp() function, with
 * EHLO, PIPELINING and AUTH; STARTTLS and the handshake are {@link TlsSetup}'s). Until MAIL FROM is
 * accepted, a server that cannot take mail now (a 4xx or 5xx greeting, a 421, a lost connection, a protocol error, a TLS failure)
 * lets the walk try the next address (RFC 5321 5.1, Postfix's smtp_skip_5xx_greeting); from then on the
 * outcome is final, as in classic qmail.
 *
 * <p>A session may be kept for the next delivery ({@link Keeping}, a resident process): the witness after
 * the dot's 2xx is then EHLO rather than QUIT ({@link SmtpClient#ehloInStep}), and an in-step session goes to
 * the {@link SessionCache}. On a kept session taken up again ({@link #resume}) the transaction starts with
 * MAIL FROM, without RSET (the witness EHLO reset the state, RFC 5321 4.1.4), the answer to MAIL FROM awaited
 * {@value #KEPT_MAIL_SECONDS} seconds at most, and whatever ends it before the final dot (or BDAT LAST) went is
 * {@link Attempt.Stale}: it reports nothing, the delivery goes on over a fresh connection; so is
 * a refusal of the message at the dot once QUIT shows the replies in step (servers limit messages per
 * connection). A 2xx at the dot, or a connection lost after it, is final as on a fresh session.
 */
final class SmtpSession {
    /** How long the answer to QUIT is awaited after a 250 for the message; silence then costs no report. */
    private static final java.time.Duration QUIT_WAIT = java.time.Duration.ofSeconds(10);
    /**
     * How long the answer to MAIL FROM, the first command on a kept session, is awaited: a peer that vanished
     * without a word (a NAT or load balancer that dropped the idle connection) costs this, and the fresh
     * connection still fits in timeoutdelivery (Postfix's smtp_rset_timeout, 20 s, for the same reason).
     */
    private static final int KEPT_MAIL_SECONDS = 10;
    private static final java.time.Duration KEPT_MAIL_WAIT = java.time.Duration.ofSeconds(KEPT_MAIL_SECONDS);
    private final SmtpClient client;
    private final InetAddress peer;
    private final String heloHost;
    private final TlsPlan plan;
    private final Optional<AuthPlan> auth;
    private final boolean peerMayReceiveCredentialsInClear;
    private final int chunkSize;
    private final DialogueDeadline deadline;
    private final TlsSetup tlsSetup;
    private final List<Report> recipientReports = new ArrayList<>();
    private final Keeping keeping;
    /** The connected socket beneath the client (what a kept session is registered by); null in unit tests. */
    private final java.net.Socket socket;
    /** Deliveries this connection carried before this one. */
    private final int uses;
    /** A kept session taken up again: nothing before the final dot may become a report. */
    private final boolean resumed;
    /** Mail transactions this connection carried before this delivery (MAILMAX counts them, RFC 9422 4.1). */
    private final int transactionsBefore;
    /** The delivery's recipients split by LIMITS into transactions; null while one transaction carries them. */
    private Split split;
    /** Set once the handshake is done: the session goes over TLS. */
    private TlsClient tls;
    private boolean authSkipped;
    /** The session to keep after this delivery: set when the witness found it in step, kept by {@link #run}. */
    private IdleSession keep;
    /** What the delivery log learns of this session; null when there is no log. */
    private AttemptTrace trace;

    SmtpSession(SmtpClient client, InetAddress peer, String heloHost, TlsPlan plan, TlsContexts tlsContexts,
            Optional<AuthPlan> auth, boolean peerMayReceiveCredentialsInClear, int chunkSize,
            DialogueDeadline deadline) {
        this(client, null, peer, heloHost, plan, tlsContexts, auth, peerMayReceiveCredentialsInClear, chunkSize,
                deadline, Keeping.NEVER, null);
    }

    /** A session on a new connection ({@code kept} null) or on a kept one taken up again. */
    SmtpSession(SmtpClient client, java.net.Socket socket, InetAddress peer, String heloHost, TlsPlan plan,
            TlsContexts tlsContexts, Optional<AuthPlan> auth, boolean peerMayReceiveCredentialsInClear,
            int chunkSize, DialogueDeadline deadline, Keeping keeping, IdleSession kept) {
        this.keeping = keeping;
        this.socket = socket;
        this.uses = kept == null ? 0 : kept.uses();
        this.transactionsBefore = kept == null ? 0 : kept.transactions();
        this.resumed = kept != null;
        if (kept != null) {
            this.tls = kept.tls();
            this.authSkipped = kept.authSkipped();
        }
        this.chunkSize = chunkSize;
        this.deadline = deadline;
        this.client = client;
        this.peer = peer;
        this.heloHost = heloHost;
        this.plan = plan;
        this.auth = auth;
        this.peerMayReceiveCredentialsInClear = peerMayReceiveCredentialsInClear;
        this.tlsSetup = new TlsSetup(client, peer, plan, tlsContexts);
    }

    /** Takes up a kept session for this delivery: the attempt, or {@link Attempt.Stale} before the final dot. */
    static Attempt resume(IdleSession kept, InetAddress peer, String heloHost, TlsPlan plan, TlsContexts tlsContexts,
            Optional<AuthPlan> auth, int chunkSize, DialogueDeadline deadline, Keeping keeping, Envelope envelope,
            MessageSource message, AttemptTrace trace) {
        return new SmtpSession(kept.client(), kept.socket(), peer, heloHost, plan, tlsContexts, auth, false, chunkSize,
                deadline, keeping, kept).traced(trace).run(envelope, message);
    }

    /** Goes on with a split delivery the server's MAILMAX ended on another connection. */
    SmtpSession continuing(Split earlier) {
        split = earlier;
        return this;
    }

    /** Tells {@code attempt} (null: nothing) what this session does, for the delivery log. */
    SmtpSession traced(AttemptTrace attempt) {
        trace = attempt;
        if (attempt != null) {
            attempt.watch(client);
        }
        return this;
    }

    Attempt run(Envelope envelope, MessageSource message) {
        Attempt attempt = decide(envelope, message);
        if (trace != null) {
            trace.ended(tls, tlsSetup.failure());
        }
        if (resumed && !client.finalDotSent() && (split == null || !split.delivered())) {
            client.abort(); // a kept session may have gone stale: nothing it said before the dot counts
            return new Attempt.Stale();
        }
        if (keep != null) {
            // last: once given, the session is the next delivery's, which may take it up (MAIL) at once
            try {
                keeping.keep(keep);
            } catch (RuntimeException e) {
                client.abort(); // the K stands whatever keeping the session did
            }
        }
        return attempt;
    }

    private Attempt decide(Envelope envelope, MessageSource message) {
        try {
            return converse(envelope, message);
        } catch (SmtpProtocolException e) {
            client.quit();
            ReportTemplate template = e.kind() == SmtpProtocolException.Kind.UNSOLICITED ? UNSOLICITED_REPLY
                    : client.finalDotSent() ? PROTOCOL_VIOLATION_AFTER_DOT : PROTOCOL_VIOLATION;
            Report report = Reports.forPeer(template, peer, e.command(), e.received());
            return client.mailAccepted() ? finish(report) : new Attempt.TryNext(report);
        } catch (IOException e) {
            client.abort();
            if (!client.mailAccepted()) {
                // nothing was taken yet: another address may do, or this one without TLS
                if (deadline.deadline().expired()) {
                    return new Attempt.TryNext(deadline.expired());
                }
                return tls != null ? tlsSetup.lostBeforeMail()
                        : new Attempt.TryNext(Reports.forPeer(CONNECTION_DIED, peer, List.of()));
            }
            if (tls != null && !client.finalDotSent()) {
                return finish(tlsSetup.protocolError());
            }
            return finish(Reports.forPeer(client.finalDotSent() ? CONNECTION_DIED_AFTER_DOT : CONNECTION_DIED,
                    peer, List.of()));
        }
    }

    private Attempt converse(Envelope envelope, MessageSource message) throws IOException, SmtpProtocolException {
        if (resumed) {
            if (client.saidWhileIdle()) {
                // fresh9 H3: over TLS such bytes were unseen, and after BDAT the delivery rode a stream one behind
                client.abort();
                return new Attempt.Stale();
            }
            client.resumeAfterWitness(); // no RSET: the witness EHLO that kept the session reset it
            return transaction(envelope, message);
        }
        client.readTimeout(deadline.opening());
        Optional<Attempt> ended = open();
        return ended.isPresent() ? ended.get() : transaction(envelope, message);
    }

    /** Greeting, EHLO, STARTTLS, AUTH on a new connection; the attempt when one of them ended the session. */
    private Optional<Attempt> open() throws IOException, SmtpProtocolException {
        if (plan.implicit()) {
            Optional<Attempt> failed = ended(tlsSetup.handshake());
            if (failed.isPresent()) {
                return failed;
            }
        }
        Reply greeting = client.greeting();
        if (greeting.code() != 220) {
            return Optional.of(nextPeer(GREETING_FAILED, greeting));
        }
        client.readTimeout(deadline.beforeData());
        Optional<Attempt> refused = ended(hello());
        if (refused.isPresent()) {
            return refused;
        }
        if (!plan.implicit() && !plan.never()) {
            client.readTimeout(deadline.opening());
            SessionStep startTls = tlsSetup.startTls();
            Optional<Attempt> failed = ended(startTls);
            if (failed.isEmpty() && startTls instanceof SessionStep.Secured) {
                client.readTimeout(deadline.beforeData());
                failed = ended(hello()); // RFC 3207 4.2: nothing learnt before TLS counts
            }
            if (failed.isPresent()) {
                return failed;
            }
        }
        if (auth.isPresent()) {
            client.readTimeout(deadline.beforeData());
            return ended(authenticate(auth.get()));
        }
        return Optional.empty();
    }

    /** One mail transaction, MAIL FROM to the witness after the final dot. */
    private Attempt transaction(Envelope envelope, MessageSource message) throws IOException, SmtpProtocolException {
        String mailParameters = "";
        OptionalLong size = OptionalLong.of(message.length());
        OptionalLong limit = client.extensions().sizeLimit();
        if (size.isPresent() && limit.isPresent()) {
            if (limit.getAsLong() > 0 && size.getAsLong() > limit.getAsLong()) {
                client.quit(); // RFC 1870: do not send what will be refused
                return finish(Reports.forPeer(MESSAGE_TOO_BIG, peer, size.getAsLong() + " bytes, "
                        + Reports.format(peer) + " takes " + limit.getAsLong(), List.of()));
            }
            mailParameters = " SIZE=" + size.getAsLong();
        }
        BodyPlan body = BodyPlan.of(message, client.extensions(), chunkSize);
        mailParameters += body.bodyParameter();
        boolean utf8 = envelope.needsUtf8();
        if (utf8) {
            if (!client.extensions().has("SMTPUTF8")) {
                client.quit(); // RFC 6531 3.4: such an address cannot go to this server
                return finish(Reports.forPeer(SMTPUTF8_UNAVAILABLE, peer, List.of()));
            }
            mailParameters += " SMTPUTF8";
        }
        Limits limits = client.extensions().limits();
        if (split != null || limits.any()
                && new Split(envelope.recipients().size(), peer).ranges(envelope.recipientPaths(utf8), limits).size() > 1) {
            return transactions(envelope, message, mailParameters, body, utf8, limits);
        }
        Iterator<Optional<String>> positions = envelope.recipientPaths(utf8).iterator();
        java.time.Duration beforeData = deadline.beforeData();
        client.readTimeout(beforeData);
        boolean[] anyAccepted = {false};
        java.time.Duration mailWait = !resumed ? null : KEPT_MAIL_WAIT.compareTo(beforeData) < 0 ? KEPT_MAIL_WAIT : beforeData;
        Reply mail = client.envelope(envelope.senderPath(utf8), mailParameters, envelope.sendable(utf8), reply -> {
            reportUnusableUpToNextSendable(positions);
            anyAccepted[0] |= reply.isPositive();
            recipientReports.add(recipientReport(reply));
        }, mailWait, mailWait == null ? null : beforeData, !body.chunking());
        if (mail.code() == 421) {
            return nextPeer(Refusal.SENDER.temporary(), mail);
        }
        Outcome sender = Outcome.of(mail);
        if (sender != Outcome.ACCEPTED) {
            return quit(sender.refusal(Refusal.SENDER), mail);
        }
        reportUnusableUpToNextSendable(positions);
        if (!anyAccepted[0]) {
            return quit(NO_RECIPIENT_ACCEPTED, null);
        }

        Reply accepted;
        int chunks = 0;
        client.readTimeout(deadline.remoteTimeout()); // the transfer is bounded by progress, not by the deadline
        boolean keepable = socket != null && keeping.allows(uses + 1) && below(limits, transactionsBefore + 1);
        try {
            Transfer transfer = transfer(body, message, true, keepable ? heloHost : null);
            if (transfer.refusedEarly()) { // DATA, or an earlier chunk
                return quit(Outcome.of(transfer.reply()).refusal(Refusal.DATA), transfer.reply());
            }
            accepted = transfer.reply();
            chunks = transfer.chunks();
        } catch (PartialFinalLineException e) {
            client.abort();
            return finish(Reports.of(PARTIAL_FINAL_LINE));
        } catch (MessageReadException e) {
            client.abort();
            return finish(Reports.of(MESSAGE_UNREADABLE));
        }
        Outcome taken = Outcome.of(accepted);
        if (taken != Outcome.ACCEPTED && resumed) {
            // a server may take only so many messages over one connection: a refusal at the dot of a kept
            // session is not final either, once QUIT shows it answered the dot (else the message may be in)
            Optional<List<String>> outOfStep = client.quitInStep(quitWait(), chunks > 0);
            return outOfStep.isPresent() ? outOfStep(outOfStep.get()) : new Attempt.Stale();
        }
        if (taken != Outcome.ACCEPTED) {
            return quit(taken.refusal(Refusal.MESSAGE), accepted);
        }
        ReportTemplate template = tls == null ? MESSAGE_ACCEPTED : TlsSetup.acceptedOver(tls);
        Witness witness = witness(keepable, chunks);
        if (witness instanceof Witness.OutOfStep outOfStep) {
            return outOfStep(outOfStep.said());
        }
        Report report = Reports.forPeer(template, peer, accepted.lines());
        if (chunks > 0) {
            report = Reports.withNote(report, CHUNKED_NOTE, Integer.toString(chunks));
        }
        report = body.noted(report);
        if (witness instanceof Witness.InStep) {
            keep = new IdleSession(client, socket, tls, authSkipped, uses + 1, transactionsBefore + 1); // to the cache by run()
        }
        return finish(authSkipped ? Reports.withNote(report, AUTH_SKIPPED_NOTE) : report);
    }

    /** Whether a session that will have carried {@code transactions} may carry one more (RFC 9422 4.1). */
    private static boolean below(Limits limits, int transactions) {
        return limits.mailMax() == 0 || transactions < limits.mailMax();
    }

    /**
     * The delivery in several transactions on this session, as LIMITS asks (RFC 9422 4.2, 4.3): each
     * MAIL, its RCPTs, DATA and the message; after a dot's reply the next MAIL follows at once (the
     * transaction is over, RFC 5321 3.3), after a transaction left open (no recipient taken, DATA refused)
     * RSET first. Beyond MAILMAX the session ends with QUIT and {@link Attempt.More} hands the rest to a new
     * connection. Until some transaction's message was taken, a failure ends the delivery as it would end
     * one transaction (the next address may take everything); from then on it ends only the recipients
     * not yet taken, which {@link Split} defers.
     */
    private Attempt transactions(Envelope envelope, MessageSource message, String mailParameters, BodyPlan body,
            boolean utf8, Limits limits) throws IOException, SmtpProtocolException {
        if (split == null) {
            split = new Split(envelope.recipients().size(), peer);
        }
        List<Optional<String>> paths = envelope.recipientPaths(utf8);
        String senderPath = envelope.senderPath(utf8);
        int done = 0;
        int chunks = 0;
        boolean open = false;
        for (int[] range : split.plan(paths, limits)) {
            if (!below(limits, transactionsBefore + done)) {
                Optional<List<String>> said = client.quitInStep(quitWait(), chunks > 0);
                return said.isPresent() ? splitOutOfStep(said.get()) : new Attempt.More(split);
            }
            Batch batch;
            try {
                // once a message went, the session is in its transfer: bounded by progress, as DATA is, not by
                // timeoutdelivery (a long first transfer would otherwise defer every later transaction)
                client.readTimeout(split.delivered() ? deadline.remoteTimeout() : deadline.beforeData());
                if (open) {
                    Reply reset = client.rset();
                    if (reset.code() != 250) {
                        Optional<List<String>> said = witnessAfterEarlyEnd(body);
                        if (said.isPresent()) {
                            return splitOutOfStep(said.get());
                        }
                        split.rest(Reports.forPeer(CONNECTION_DIED, peer, reset.lines()));
                        return new Attempt.Done(split.result());
                    }
                }
                client.nextTransaction();
                split.begin();
                batch = batch(paths, range, senderPath, mailParameters, body, message, split.transactions() > 1);
            } catch (SmtpProtocolException e) {
                if (!split.delivered()) {
                    throw e; // nothing was taken: this ends as one transaction would
                }
                // a reply waiting after a dot's answer, or one that fits no command: that answer may have been
                // another command's, so no K stands (as QUIT's answer shows it for one transaction)
                client.abort();
                return new Attempt.Done(DeliveryResult.of(Reports.forPeer(SPLIT_OUT_OF_STEP, peer, e.command(),
                        e.received())));
            } catch (IOException e) {
                if (!split.delivered()) {
                    throw e; // nothing was taken: this ends as one transaction would
                }
                client.abort();
                if (body.chunking()) {
                    // with BDAT every answer is 250: a hang-up before the next witness may hide a reply too many,
                    // so no earlier K stands (fresh9 H2), as a hang-up instead of QUIT's answer after BDAT
                    return splitOutOfStep(List.of());
                }
                if (client.finalDotSent()) {
                    // only this transaction's recipients may have been taken twice; the rest were never sent
                    split.ended(range[0], range[1], List.of(),
                            Reports.forPeer(CONNECTION_DIED_AFTER_DOT, peer, List.of()));
                }
                split.rest(Reports.forPeer(CONNECTION_DIED, peer, List.of()));
                return new Attempt.Done(split.result());
            } catch (PartialFinalLineException e) {
                client.abort(); // the same message in every transaction: the first one meets it
                return finish(Reports.of(PARTIAL_FINAL_LINE));
            } catch (MessageReadException e) {
                client.abort();
                if (!split.delivered()) {
                    return finish(Reports.of(MESSAGE_UNREADABLE));
                }
                split.rest(Reports.of(MESSAGE_UNREADABLE));
                return new Attempt.Done(split.result());
            }
            done += batch.mailTaken() ? 1 : 0;
            chunks = batch.chunks();
            split.ended(range[0], range[1], batch.reports(), batch.report());
            if (resumed && !split.delivered()) {
                // a kept session's first transaction did not deliver: as for one transaction, it reports nothing,
                // unless QUIT's answer shows the replies out of step (then the refusal may not be the message's)
                Optional<List<String>> said = client.quitInStep(quitWait(), chunks > 0);
                return said.isPresent() ? splitOutOfStep(said.get()) : new Attempt.Stale();
            }
            if (batch.sessionOver()) {
                if (!split.delivered() && batch.closing()) {
                    return nextPeer(batch.report()); // a 421 before any message was taken: the next address (fresh9 M7)
                }
                // the refusal ends the session: a K claimed before it, or a bounce, only once QUIT shows the
                // replies in step (fresh9 H2, H4)
                Optional<List<String>> said = witnessAfterEarlyEnd(body);
                if (said.isPresent()) {
                    return splitOutOfStep(said.get());
                }
                split.rest(batch.report());
                return new Attempt.Done(split.result());
            }
            open = batch.open();
        }
        Witness witness = witness(!open && socket != null && keeping.allows(uses + 1)
                && below(limits, transactionsBefore + done + 1), chunks);
        if (witness instanceof Witness.OutOfStep outOfStep) {
            return splitOutOfStep(outOfStep.said());
        }
        if (witness instanceof Witness.InStep) {
            keep = new IdleSession(client, socket, tls, authSkipped, uses + 1, transactionsBefore + done);
        }
        DeliveryResult result = split.result();
        Report report = result.messageReport();
        if (report.letter() == 'K') {
            report = body.noted(report);
            report = authSkipped ? Reports.withNote(report, AUTH_SKIPPED_NOTE) : report;
        }
        return new Attempt.Done(new DeliveryResult(result.recipientReports(), report));
    }

    /**
     * What shows the replies were in step after the last dot: a second EHLO when the session may be kept
     * (its answer also keeps it), else QUIT and its 221 (RFC 5321 4.1.4, 4.1.1.10).
     */
    private Witness witness(boolean keepable, int chunks) {
        if (keepable) {
            return client.ehloInStep(heloHost, quitWait(), chunks > 0);
        }
        Optional<List<String>> said = client.quitInStep(quitWait(), chunks > 0);
        return said.isPresent() ? new Witness.OutOfStep(said.get()) : Witness.ENDED;
    }

    /**
     * The replies were out of step after a split delivery's transactions: any dot's answer may have been
     * another command's, so nothing is claimed and everything is deferred, with "Possible duplicate!" when
     * a dot went (the classic answer to a connection lost after the dot).
     */
    private Attempt splitOutOfStep(List<String> said) {
        return new Attempt.Done(DeliveryResult.of(Reports.forPeer(
                split.delivered() || client.finalDotSent() ? OUT_OF_STEP_AFTER_DOT : OUT_OF_STEP, peer, said)));
    }

    /**
     * How one transaction of a split delivery ended: its recipients' reports (argument order, fewer when
     * MAIL was refused), the report of the transaction (K when the dot was answered 2xx; null when no
     * recipient was taken), whether MAIL was taken, whether it is still open (RSET before the next),
     * whether the session cannot go on (MAIL refused: the rest would meet the same), and the BDAT chunks.
     */
    private record Batch(List<Report> reports, Report report, boolean mailTaken, boolean open, boolean sessionOver,
            int chunks, boolean closing) {
        Batch(List<Report> reports, Report report, boolean mailTaken, boolean open, boolean sessionOver, int chunks) {
            this(reports, report, mailTaken, open, sessionOver, chunks, false);
        }
    }

    /** {@code later}: an earlier transaction of this delivery was begun, so a refused MAIL defers (see below). */
    private Batch batch(List<Optional<String>> paths, int[] range, String senderPath, String mailParameters,
            BodyPlan body, MessageSource message, boolean later)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        List<Report> reports = new ArrayList<>();
        List<Optional<String>> own = paths.subList(range[0], range[1]);
        List<String> sendable = new ArrayList<>();
        own.forEach(path -> path.ifPresent(sendable::add));
        Iterator<Optional<String>> positions = own.iterator();
        boolean[] anyAccepted = {false};
        Reply mail = client.envelope(senderPath, mailParameters, sendable, reply -> {
            reportUnusableUpToNextSendable(positions, reports);
            anyAccepted[0] |= reply.isPositive();
            reports.add(recipientReport(reply));
        });
        if (mail.code() == 421) {
            return new Batch(reports, Reports.forPeer(Refusal.SENDER.temporary(), peer, mail.lines()), false, false,
                    true, 0, true);
        }
        Outcome sender = Outcome.of(mail);
        if (sender != Outcome.ACCEPTED) {
            // a sender taken for one transaction and refused for the next says something of the session (a
            // limit it did not announce), not of the sender: that never bounces
            sender = later ? Outcome.TEMPORARY : sender;
            return new Batch(reports, Reports.forPeer(sender.refusal(Refusal.SENDER), peer, mail.lines()), false,
                    false, true, 0);
        }
        reportUnusableUpToNextSendable(positions, reports);
        if (!anyAccepted[0]) {
            return new Batch(reports, null, true, true, false, 0);
        }
        client.readTimeout(deadline.remoteTimeout());
        Transfer transfer = transfer(body, message, false, null);
        if (transfer.refusedEarly()) {
            return new Batch(reports, Reports.forPeer(Outcome.of(transfer.reply()).refusal(Refusal.DATA), peer,
                    transfer.reply().lines()), true, true, false, transfer.chunks());
        }
        Reply accepted = transfer.reply();
        int chunks = transfer.chunks();
        Outcome taken = Outcome.of(accepted);
        if (taken != Outcome.ACCEPTED) {
            return new Batch(reports, Reports.forPeer(taken.refusal(Refusal.MESSAGE), peer, accepted.lines()), true,
                    false, false, chunks);
        }
        ReportTemplate template = tls == null ? MESSAGE_ACCEPTED : TlsSetup.acceptedOver(tls);
        return new Batch(reports, Reports.forPeer(template, peer, accepted.lines()), true, false, false, chunks);
    }

    /**
     * How the message went: the reply that ended the transfer, whether it refused the message before it was
     * whole (DATA not answered 354, or a chunk before LAST), and the BDAT chunks sent (0 with DATA).
     */
    private record Transfer(Reply reply, boolean refusedEarly, int chunks) {
    }

    /**
     * The message by BDAT (RFC 3030) or DATA; with {@code witnessWithDot}, what goes with DATA's final dot is
     * planned once DATA was answered 354 ({@link SmtpClient#witnessWithFinalDot}: EHLO for {@code keepHelo},
     * QUIT when it is null).
     */
    private Transfer transfer(BodyPlan body, MessageSource message, boolean witnessWithDot, String keepHelo)
            throws IOException, SmtpProtocolException, PartialFinalLineException, MessageReadException {
        if (body.chunking()) {
            SmtpClient.ChunkReply reply = client.chunks(new Chunker(message.open(), chunkSize));
            return new Transfer(reply.reply(), !reply.last(), reply.chunks());
        }
        Reply data = client.data();
        if (Outcome.of(data) != Outcome.ACCEPTED) {
            return new Transfer(data, true, 0);
        }
        if (witnessWithDot) {
            client.witnessWithFinalDot(keepHelo);
        }
        return new Transfer(client.message(body.content(message)), false, 0);
    }

    /**
     * SMTP AUTH (RFC 4954) with the strongest mechanism both sides know: XOAUTH2 for a token, else
     * SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN. Credentials go only over TLS, to this machine, or where authplaintext allows.
     * No common mechanism: the delivery goes on without AUTH, and the final report says so.
     */
    private SessionStep authenticate(AuthPlan plan) throws IOException, SmtpProtocolException {
        if (tls == null && !plan.mayGoInClear() && !peerMayReceiveCredentialsInClear) {
            client.quit();
            return new SessionStep.Ended(new Attempt.TryNext(Reports.forPeer(AUTH_NEEDS_TLS, peer, List.of())));
        }
        java.util.Set<String> offered = client.authMechanisms();
        List<String> preference = AuthMechanisms.preference(plan.bearerToken());
        Optional<String> mechanism = preference.stream().filter(offered::contains).findFirst();
        if (mechanism.isEmpty()) {
            authSkipped = true;
            return SessionStep.PROCEED;
        }
        if (trace != null) {
            trace.auth(mechanism.get());
        }
        AuthStep step = client.authenticate(mechanism.get(), plan.user(), plan.secret());
        if (step.succeeded()) {
            return SessionStep.PROCEED;
        }
        if (step.reply().code() == 421) {
            client.quit();
            return new SessionStep.Ended(new Attempt.TryNext(
                    Reports.forPeer(AUTH_REJECTED, peer, step.step(), step.reply().lines())));
        }
        if (step.step().equals("challenge")) {
            return new SessionStep.Ended(quit(AUTH_CHALLENGE_UNREADABLE, step.reply()));
        }
        client.quit();
        return new SessionStep.Ended(finish(Reports.forPeer(AUTH_REJECTED, peer, step.step(), step.reply().lines())));
    }

    /**
     * EHLO, or HELO when EHLO is refused; {@link SessionStep.Proceed} when one of them was accepted. A 421
     * means the server is closing (RFC 5321 3.8): no HELO on a dead connection, the next address instead.
     */
    private SessionStep hello() throws IOException, SmtpProtocolException {
        Reply ehlo = client.ehlo(heloHost);
        if (ehlo.code() == 250) {
            return SessionStep.PROCEED;
        }
        if (ehlo.code() == 421) {
            return new SessionStep.Ended(nextPeer(NAME_REJECTED, ehlo));
        }
        Reply helo = client.helo(heloHost);
        if (helo.code() == 421) {
            return new SessionStep.Ended(nextPeer(NAME_REJECTED, helo));
        }
        return helo.code() == 250 ? SessionStep.PROCEED : new SessionStep.Ended(quit(NAME_REJECTED, helo));
    }

    /** Takes in what {@code step} secured; the attempt when it ended the session. */
    private Optional<Attempt> ended(SessionStep step) {
        if (step instanceof SessionStep.Secured secured) {
            tls = secured.tls();
        }
        return step instanceof SessionStep.Ended ended ? Optional.of(ended.attempt()) : Optional.empty();
    }

    /** Recipients that were never sent get their report in their own position, before the next one sent. */
    private void reportUnusableUpToNextSendable(Iterator<Optional<String>> positions) {
        reportUnusableUpToNextSendable(positions, recipientReports);
    }

    private static void reportUnusableUpToNextSendable(Iterator<Optional<String>> positions, List<Report> reports) {
        while (positions.hasNext()) {
            if (positions.next().isPresent()) {
                return;
            }
            reports.add(Reports.of(RECIPIENT_UNUSABLE));
        }
    }

    private Report recipientReport(Reply reply) {
        Outcome outcome = Outcome.of(reply);
        return outcome == Outcome.ACCEPTED ? Reports.of(RECIPIENT_ACCEPTED)
                : Reports.forPeer(outcome.refusal(Refusal.RECIPIENT), peer, reply.lines());
    }

    /** This server cannot take mail now, before anything was handed over: the walk goes on. */
    private Attempt nextPeer(ReportTemplate template, Reply reply) {
        return nextPeer(Reports.forPeer(template, peer, reply.lines()));
    }

    private Attempt nextPeer(Report report) {
        client.quit();
        return new Attempt.TryNext(report);
    }

    /**
     * QUIT and its answer after a split delivery ended early (a refused MAIL or RSET): present when the replies
     * were out of step, and then neither a K claimed before nor a bounce stands. With BDAT, where every answer
     * is 250, silence or a hang-up there counts too, once a message was taken.
     */
    private Optional<List<String>> witnessAfterEarlyEnd(BodyPlan body) {
        return client.quitInStep(quitWait(), body.chunking() && split.delivered());
    }

    /**
     * Ends the session with a decided report. A bounce is checked first, as a K is: the answer to QUIT must
     * show the replies were in step, else the refusal may belong to another command (a reply too many in a
     * pipelined batch) and bouncing on it would lose mail.
     */
    private Attempt quit(ReportTemplate template, Reply reply) {
        if (template.letter() == 'D') {
            Optional<List<String>> outOfStep = client.quitInStep(quitWait(), false);
            if (outOfStep.isPresent()) {
                return outOfStep(outOfStep.get());
            }
        } else {
            client.quit();
        }
        return finish(Reports.forPeer(template, peer, reply == null ? List.of() : reply.lines()));
    }

    /**
     * Replies out of step. Before the dot a recipient's h may be the shifted one, and qmail-rspawn would
     * bounce on it: only the Z is printed (as classic's zerodie). After the dot the r reports stay; with
     * the Z they defer the message all the same.
     */
    private Attempt outOfStep(List<String> said) {
        if (client.finalDotSent()) {
            return finish(Reports.forPeer(OUT_OF_STEP_AFTER_DOT, peer, said));
        }
        return new Attempt.Done(DeliveryResult.of(Reports.forPeer(!client.dataNotRefused() ? OUT_OF_STEP
                : client.mailAccepted() ? DATA_WITHOUT_RECIPIENT : DATA_AFTER_REFUSED_SENDER, peer, said)));
    }

    private java.time.Duration quitWait() {
        return QUIT_WAIT.compareTo(deadline.remoteTimeout()) < 0 ? QUIT_WAIT : deadline.remoteTimeout();
    }

    private Attempt finish(Report messageReport) {
        return new Attempt.Done(new DeliveryResult(recipientReports, messageReport),
                tls == null ? "" : tls.verifier().audit());
    }
}
