package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.AUTH_CHALLENGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.AUTH_NEEDS_TLS;
import static dev.qremote.sender.report.ReportTemplate.AUTH_REJECTED;
import static dev.qremote.sender.report.ReportTemplate.AUTH_SKIPPED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.CHUNKED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED;
import static dev.qremote.sender.report.ReportTemplate.CONNECTION_DIED_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.DATA_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.DATA_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.GREETING_FAILED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_TOO_BIG;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.NAME_REJECTED;
import static dev.qremote.sender.report.ReportTemplate.NO_RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.PARTIAL_FINAL_LINE;
import static dev.qremote.sender.report.ReportTemplate.PROTOCOL_VIOLATION;
import static dev.qremote.sender.report.ReportTemplate.PROTOCOL_VIOLATION_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.UNSOLICITED_REPLY;
import static dev.qremote.sender.report.ReportTemplate.OUT_OF_STEP;
import static dev.qremote.sender.report.ReportTemplate.OUT_OF_STEP_AFTER_DOT;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.RECIPIENT_UNUSABLE;
import static dev.qremote.sender.report.ReportTemplate.SENDER_REJECTED_PERMANENTLY;
import static dev.qremote.sender.report.ReportTemplate.SENDER_REJECTED_TEMPORARILY;
import static dev.qremote.sender.report.ReportTemplate.SMTPUTF8_UNAVAILABLE;

import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS_CA;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS_CA_DN;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS_CA_DN_WILDCARD;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS_PINNED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED_TLS_TLSA;
import static dev.qremote.sender.report.ReportTemplate.TLS_CA;
import static dev.qremote.sender.report.ReportTemplate.TLS_CERTIFICATE_NAME;
import static dev.qremote.sender.report.ReportTemplate.TLS_CERTIFICATE_UNTRUSTED;
import static dev.qremote.sender.report.ReportTemplate.TLS_CIPHERS;
import static dev.qremote.sender.report.ReportTemplate.TLS_CONTEXT;
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_CERTIFICATE;
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_KEY;
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_KEY_MISMATCH;
import static dev.qremote.sender.report.ReportTemplate.TLS_HANDSHAKE_FAILED;
import static dev.qremote.sender.report.ReportTemplate.TLS_NEGOTIATION_FAILED;
import static dev.qremote.sender.report.ReportTemplate.TLS_PIN_DIGEST;
import static dev.qremote.sender.report.ReportTemplate.TLS_PIN_MISMATCH;
import static dev.qremote.sender.report.ReportTemplate.TLS_PROTOCOL_ERROR;
import static dev.qremote.sender.report.ReportTemplate.TLS_TLSA_MISMATCH;

import dev.qremote.sender.message.Chunker;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.PartialFinalLineException;
import dev.qremote.sender.message.SizedMessage;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.AuthStep;
import dev.qremote.sender.transport.smtp.Reply;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.tls.ClientIdentity;
import dev.qremote.sender.tls.ClientIdentityException;
import dev.qremote.sender.tls.PeerCheckException;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsContexts;
import dev.qremote.sender.tls.TlsOutcome;
import dev.qremote.sender.transport.smtp.SmtpProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One SMTP dialogue on a connected socket, and what each reply means for the reports (the classic
 * qmail-remote smtp() function, with EHLO, PIPELINING and TLS). Until MAIL FROM is accepted, a server that
 * cannot take mail now (a 4xx or 5xx greeting, a 421, a lost connection, a protocol error, a TLS failure)
 * lets the walk try the next address (RFC 5321 5.1, Postfix's smtp_skip_5xx_greeting); from then on the
 * outcome is final, as in classic qmail.
 */
final class SmtpTransaction {
    /** How long the answer to QUIT is awaited after a 250 for the message; silence then costs no report. */
    private static final java.time.Duration QUIT_WAIT = java.time.Duration.ofSeconds(10);
    private final SmtpClient client;
    private final InetAddress peer;
    private final String heloHost;
    private final TlsPlan plan;
    private final TlsContexts tlsContexts;
    private final Optional<AuthPlan> auth;
    private final boolean peerIsLocal;
    private final int chunkSize;
    private final DialogueDeadline deadline;
    private final List<Report> recipientReports = new ArrayList<>();
    private TlsClient tls;
    private boolean authSkipped;

    SmtpTransaction(SmtpClient client, InetAddress peer, String heloHost, TlsPlan plan, TlsContexts tlsContexts,
            Optional<AuthPlan> auth, boolean peerIsLocal, int chunkSize, DialogueDeadline deadline) {
        this.chunkSize = chunkSize;
        this.deadline = deadline;
        this.client = client;
        this.peer = peer;
        this.heloHost = heloHost;
        this.plan = plan;
        this.tlsContexts = tlsContexts;
        this.auth = auth;
        this.peerIsLocal = peerIsLocal;
    }

    Attempt run(Envelope envelope, InputStream message) {
        try {
            return converse(envelope, message);
        } catch (TlsFailure e) {
            return e.attempt;
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
                if (tls != null && plan.plaintextRetry()) {
                    return new Attempt.RetryWithoutTls();
                }
                return new Attempt.TryNext(tls != null ? tlsReport(TLS_PROTOCOL_ERROR, "")
                        : Reports.forPeer(CONNECTION_DIED, peer, List.of()));
            }
            if (tls != null && !client.finalDotSent()) {
                // inside TLS (an alert, or a reset racing it: with TLS 1.3 a refused client certificate
                // shows only after the handshake), as s/qmail reports it
                return finish(tlsReport(TLS_PROTOCOL_ERROR, ""));
            }
            return finish(Reports.forPeer(client.finalDotSent() ? CONNECTION_DIED_AFTER_DOT : CONNECTION_DIED,
                    peer, List.of()));
        }
    }

    private Attempt converse(Envelope envelope, InputStream message)
            throws IOException, SmtpProtocolException, TlsFailure {
        client.readTimeout(deadline.beforeData());
        if (plan.implicit()) {
            handshake();
        }
        Reply greeting = client.greeting();
        if (greeting.code() != 220) {
            return nextPeer(GREETING_FAILED, greeting);
        }
        client.readTimeout(deadline.beforeData());
        Attempt refused = hello();
        if (refused != null) {
            return refused;
        }
        if (!plan.implicit() && !plan.never()) {
            client.readTimeout(deadline.beforeData());
            Attempt failed = startTls();
            if (failed != null) {
                return failed;
            }
        }
        if (auth.isPresent()) {
            client.readTimeout(deadline.beforeData());
            Attempt unauthenticated = authenticate(auth.get());
            if (unauthenticated != null) {
                return unauthenticated;
            }
        }

        String mailParameters = "";
        OptionalLong size = SizedMessage.knownLength(message);
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
        Iterator<Optional<String>> positions = envelope.recipientPaths(utf8).iterator();
        client.readTimeout(deadline.beforeData());
        boolean[] anyAccepted = {false};
        Reply mail = client.envelope(envelope.senderPath(utf8), mailParameters, envelope.sendable(utf8), reply -> {
            reportUnusableUpToNextSendable(positions);
            anyAccepted[0] |= reply.isPositive();
            recipientReports.add(recipientReport(reply));
        });
        if (mail.code() == 421) {
            return nextPeer(SENDER_REJECTED_TEMPORARILY, mail);
        }
        if (!mail.isPositive()) {
            return quit(mail.isPermanentFailure() ? SENDER_REJECTED_PERMANENTLY : SENDER_REJECTED_TEMPORARILY,
                    mail);
        }
        reportUnusableUpToNextSendable(positions);
        if (!anyAccepted[0]) {
            return quit(NO_RECIPIENT_ACCEPTED, null);
        }

        Reply accepted;
        int chunks = 0;
        client.readTimeout(deadline.remoteTimeout()); // the transfer is bounded by progress, not by the deadline
        try {
            if (body.chunking()) {
                SmtpClient.ChunkReply reply = client.chunks(new Chunker(message, chunkSize));
                if (!reply.last()) {
                    return quit(reply.reply().isPermanentFailure() ? DATA_REJECTED_PERMANENTLY
                            : DATA_REJECTED_TEMPORARILY, reply.reply());
                }
                accepted = reply.reply();
                chunks = reply.chunks();
            } else {
                Reply data = client.data();
                if (!data.isPositive()) {
                    return quit(data.isPermanentFailure() ? DATA_REJECTED_PERMANENTLY : DATA_REJECTED_TEMPORARILY,
                            data);
                }
                accepted = client.message(body.content(message));
            }
        } catch (PartialFinalLineException e) {
            client.abort();
            return finish(Reports.of(PARTIAL_FINAL_LINE));
        } catch (MessageReadException e) {
            client.abort();
            return finish(Reports.of(MESSAGE_UNREADABLE));
        }
        if (accepted.isPermanentFailure()) {
            return quit(MESSAGE_REJECTED_PERMANENTLY, accepted);
        }
        if (accepted.isTransientFailure()) {
            return quit(MESSAGE_REJECTED_TEMPORARILY, accepted);
        }
        ReportTemplate template = tls == null ? MESSAGE_ACCEPTED : acceptedOver(tls.verifier().outcome());
        Optional<List<String>> outOfStep = client.quitInStep(quitWait(), chunks > 0);
        if (outOfStep.isPresent()) {
            return outOfStep(outOfStep.get());
        }
        Report report = Reports.forPeer(template, peer, accepted.lines());
        if (chunks > 0) {
            report = Reports.withNote(report, CHUNKED_NOTE, Integer.toString(chunks));
        }
        report = body.noted(report);
        return finish(authSkipped ? Reports.withNote(report, AUTH_SKIPPED_NOTE) : report);
    }

    /**
     * SMTP AUTH (RFC 4954) with the strongest mechanism both sides know: XOAUTH2 for a token, else
     * SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN. Credentials go only over TLS, to this machine, or where authplaintext allows.
     * No common mechanism: the delivery goes on without AUTH, and the final report says so.
     */
    private Attempt authenticate(AuthPlan plan) throws IOException, SmtpProtocolException {
        if (tls == null && !plan.plaintextAllowed() && !peerIsLocal) {
            client.quit();
            return new Attempt.TryNext(Reports.forPeer(AUTH_NEEDS_TLS, peer, List.of()));
        }
        java.util.Set<String> offered = client.authMechanisms();
        List<String> preference = plan.bearerToken() ? List.of("XOAUTH2") : List.of("SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN");
        Optional<String> mechanism = preference.stream().filter(offered::contains).findFirst();
        if (mechanism.isEmpty()) {
            authSkipped = true;
            return null;
        }
        AuthStep step = client.authenticate(mechanism.get(), plan.user(), plan.secret());
        if (step.succeeded()) {
            return null;
        }
        if (step.reply().code() == 421) {
            client.quit();
            return new Attempt.TryNext(Reports.forPeer(AUTH_REJECTED, peer, step.step(), step.reply().lines()));
        }
        if (step.step().equals("challenge")) {
            return quit(AUTH_CHALLENGE_UNREADABLE, step.reply());
        }
        client.quit();
        return finish(Reports.forPeer(AUTH_REJECTED, peer, step.step(), step.reply().lines()));
    }

    /**
     * EHLO, or HELO when EHLO is refused; null when one of them was accepted. A 421 means the server is
     * closing (RFC 5321 3.8): no HELO on a dead connection, the next address instead.
     */
    private Attempt hello() throws IOException, SmtpProtocolException {
        Reply ehlo = client.ehlo(heloHost);
        if (ehlo.code() == 250) {
            return null;
        }
        if (ehlo.code() == 421) {
            return nextPeer(NAME_REJECTED, ehlo);
        }
        Reply helo = client.helo(heloHost);
        if (helo.code() == 421) {
            return nextPeer(NAME_REJECTED, helo);
        }
        return helo.code() == 250 ? null : quit(NAME_REJECTED, helo);
    }

    /**
     * STARTTLS when the server offers it or the plan demands it. Without it, or refused, a mandatory plan
     * gives up on this MX; an opportunistic one carries on in plaintext, as RFC 3207 allows. After the
     * handshake EHLO is said again, and nothing learnt before counts.
     */
    private Attempt startTls() throws IOException, SmtpProtocolException, TlsFailure {
        if (!client.extensions().has("STARTTLS")) {
            return plan.mandatory() ? tryNext(TLS_NEGOTIATION_FAILED, List.of()) : null;
        }
        Reply ready = client.startTls();
        if (ready.code() == 421) {
            return tryNext(TLS_NEGOTIATION_FAILED, ready.lines());
        }
        if (ready.code() != 220) {
            return plan.mandatory() ? tryNext(TLS_NEGOTIATION_FAILED, ready.lines()) : null;
        }
        handshake();
        return hello();
    }

    private void handshake() throws TlsFailure {
        Optional<ClientIdentity> identity = Optional.empty();
        if (plan.clientCertificate().isPresent()) {
            try {
                identity = Optional.of(tlsContexts.identity(plan.clientCertificate().get()));
            } catch (ClientIdentityException e) {
                client.abort();
                ReportTemplate template = switch (e.problem()) {
                    case CERTIFICATE -> TLS_CLIENT_CERTIFICATE;
                    case KEY -> TLS_CLIENT_KEY;
                    default -> TLS_CLIENT_KEY_MISMATCH;
                };
                throw new TlsFailure(finish(Reports.forTls(template, peer, plan.mxHost(), plan.destination(),
                        e.file(), List.of())));
            }
        }
        try {
            tls = tlsContexts.client(plan.policy(), plan.tlsa(), plan.names(), identity);
        } catch (TlsConfigException e) {
            client.abort();
            ReportTemplate template = switch (e.kind()) {
                case CIPHERS -> TLS_CIPHERS;
                case CA -> TLS_CA;
                default -> TLS_CONTEXT;
            };
            String detail = e.kind() == TlsConfigException.Kind.CA ? caDetail(e.getMessage()) : e.getMessage();
            throw new TlsFailure(finish(Reports.forTls(template, peer, plan.mxHost(), plan.destination(), detail,
                    List.of())));
        }
        try {
            client.upgrade(plain -> tls.handshake(plain, plan.mxHost()));
        } catch (IOException e) {
            client.abort();
            PeerCheckException refused = tls.verifier().failure();
            if (refused == null) {
                throw new TlsFailure(plan.plaintextRetry() ? new Attempt.RetryWithoutTls()
                        : new Attempt.TryNext(tlsReport(TLS_HANDSHAKE_FAILED, "")));
            }
            ReportTemplate template = switch (refused.failure()) {
                case NAME_MISMATCH -> TLS_CERTIFICATE_NAME;
                case PIN_MISMATCH -> TLS_PIN_MISMATCH;
                case PIN_UNKNOWN_DIGEST -> TLS_PIN_DIGEST;
                case TLSA_MISMATCH -> TLS_TLSA_MISMATCH;
                default -> TLS_CERTIFICATE_UNTRUSTED;
            };
            throw new TlsFailure(new Attempt.TryNext(tlsReport(template, refused.detail())));
        }
    }

    /** s/qmail names both; only the one configured is known here. */
    private static String caDetail(String location) {
        return location.endsWith("/") ? "(none) or CADIR: " + location : location;
    }

    private static ReportTemplate acceptedOver(TlsOutcome outcome) {
        return switch (outcome) {
            case CA -> MESSAGE_ACCEPTED_TLS_CA;
            case CA_AND_NAME_WILDCARD -> MESSAGE_ACCEPTED_TLS_CA_DN_WILDCARD;
            case CA_AND_NAME_EXACT -> MESSAGE_ACCEPTED_TLS_CA_DN;
            case PINNED -> MESSAGE_ACCEPTED_TLS_PINNED;
            case TLSA -> MESSAGE_ACCEPTED_TLS_TLSA;
            default -> MESSAGE_ACCEPTED_TLS;
        };
    }

    private Report tlsReport(ReportTemplate template, String detail) {
        return Reports.forTls(template, peer, plan.mxHost(), plan.destination(), detail, List.of());
    }

    private Attempt tryNext(ReportTemplate template, List<String> said) {
        client.quit();
        return new Attempt.TryNext(Reports.forTls(template, peer, plan.mxHost(), plan.destination(), "", said));
    }

    /** Leaves the conversation with a decided attempt, from deep inside the TLS set-up. */
    private static final class TlsFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Attempt attempt;

        TlsFailure(Attempt attempt) {
            super(null, null, false, false);
            this.attempt = attempt;
        }
    }

    /** Recipients that were never sent get their report in their own position, before the next one sent. */
    private void reportUnusableUpToNextSendable(Iterator<Optional<String>> positions) {
        while (positions.hasNext()) {
            if (positions.next().isPresent()) {
                return;
            }
            recipientReports.add(Reports.of(RECIPIENT_UNUSABLE));
        }
    }

    private Report recipientReport(Reply reply) {
        if (reply.isPermanentFailure()) {
            return Reports.forPeer(RECIPIENT_REJECTED_PERMANENTLY, peer, reply.lines());
        }
        if (reply.isTransientFailure()) {
            return Reports.forPeer(RECIPIENT_REJECTED_TEMPORARILY, peer, reply.lines());
        }
        return Reports.of(RECIPIENT_ACCEPTED);
    }

    /** This server cannot take mail now, before anything was handed over: the walk goes on. */
    private Attempt nextPeer(ReportTemplate template, Reply reply) {
        client.quit();
        return new Attempt.TryNext(Reports.forPeer(template, peer, reply.lines()));
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
        return new Attempt.Done(DeliveryResult.of(Reports.forPeer(OUT_OF_STEP, peer, said)));
    }

    private java.time.Duration quitWait() {
        return QUIT_WAIT.compareTo(deadline.remoteTimeout()) < 0 ? QUIT_WAIT : deadline.remoteTimeout();
    }

    private Attempt finish(Report messageReport) {
        return new Attempt.Done(new DeliveryResult(recipientReports, messageReport));
    }
}
