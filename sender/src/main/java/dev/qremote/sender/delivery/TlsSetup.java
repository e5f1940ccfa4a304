package dev.qremote.sender.delivery;

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
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_CERTIFICATE;
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_KEY;
import static dev.qremote.sender.report.ReportTemplate.TLS_CLIENT_KEY_MISMATCH;
import static dev.qremote.sender.report.ReportTemplate.TLS_CONTEXT;
import static dev.qremote.sender.report.ReportTemplate.TLS_HANDSHAKE_FAILED;
import static dev.qremote.sender.report.ReportTemplate.TLS_NEGOTIATION_FAILED;
import static dev.qremote.sender.report.ReportTemplate.TLS_PIN_DIGEST;
import static dev.qremote.sender.report.ReportTemplate.TLS_PIN_MISMATCH;
import static dev.qremote.sender.report.ReportTemplate.TLS_PROTOCOL_ERROR;
import static dev.qremote.sender.report.ReportTemplate.TLS_TLSA_MISMATCH;

import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.tls.ClientIdentity;
import dev.qremote.sender.tls.ClientIdentityException;
import dev.qremote.sender.tls.PeerCheckException;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsOutcome;
import dev.qremote.sender.transport.smtp.Reply;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.transport.smtp.SmtpProtocolException;
import java.io.IOException;
import java.net.InetAddress;
import dev.qremote.sender.tls.TlsContexts;
import java.util.List;
import java.util.Optional;

/**
 * The TLS part of one SMTP session: STARTTLS (RFC 3207) or TLS from the first byte, the client identity,
 * the handshake, and what each failure means for the walk: a report of its own (s/qmail's texts), the next
 * address, or a new connection without TLS (RFC 7435) where the plan allows it. Before MAIL FROM nothing
 * has been handed over, so no failure here is final for the message. One per session, not thread-safe.
 */
final class TlsSetup {
    private final SmtpClient client;
    private final InetAddress peer;
    private final TlsPlan plan;
    private final TlsContexts tlsContexts;
    /** Why TLS was not had, for the delivery log; null while nothing failed. */
    private String failure;

    TlsSetup(SmtpClient client, InetAddress peer, TlsPlan plan, TlsContexts tlsContexts) {
        this.client = client;
        this.peer = peer;
        this.plan = plan;
        this.tlsContexts = tlsContexts;
    }

    /**
     * STARTTLS when the server offers it or the plan demands it. Without it, or refused, a mandatory plan
     * gives up on this MX; an opportunistic one carries on in plaintext ({@link SessionStep.Proceed}), as
     * RFC 3207 allows. After {@link SessionStep.Secured} EHLO must be said again: nothing learnt before counts.
     *
     * @throws IOException the connection failed before the handshake
     * @throws SmtpProtocolException the answer to STARTTLS was not SMTP
     */
    SessionStep startTls() throws IOException, SmtpProtocolException {
        if (!client.extensions().has("STARTTLS")) {
            return plan.mandatory() ? negotiationFailed(List.of()) : SessionStep.PROCEED;
        }
        Reply ready = client.startTls();
        if (ready.code() == 421) {
            return negotiationFailed(ready.lines());
        }
        if (ready.code() != 220) {
            return plan.mandatory() ? negotiationFailed(ready.lines()) : SessionStep.PROCEED;
        }
        return handshake();
    }

    /**
     * The handshake on the connection as it is (from the first byte, or after STARTTLS's 220):
     * {@link SessionStep.Secured}, or {@link SessionStep.Ended} with the connection closed.
     */
    SessionStep handshake() {
        Optional<ClientIdentity> identity = Optional.empty();
        if (plan.clientCertificate().isPresent()) {
            try {
                identity = Optional.of(tlsContexts.identity(plan.clientCertificate().get()));
            } catch (ClientIdentityException e) {
                client.abort();
                failure = "client-certificate";
                ReportTemplate template = switch (e.problem()) {
                    case CERTIFICATE -> TLS_CLIENT_CERTIFICATE;
                    case KEY -> TLS_CLIENT_KEY;
                    default -> TLS_CLIENT_KEY_MISMATCH;
                };
                return ended(new Attempt.Done(DeliveryResult.of(report(template, e.file(), List.of()))));
            }
        }
        TlsClient tls;
        try {
            tls = newClient(identity);
        } catch (TlsConfigException e) {
            client.abort();
            failure = "configuration";
            ReportTemplate template = switch (e.kind()) {
                case CIPHERS -> TLS_CIPHERS;
                case CA -> TLS_CA;
                default -> TLS_CONTEXT;
            };
            String detail = e.kind() == TlsConfigException.Kind.CA ? caDetail(e.getMessage()) : e.getMessage();
            return ended(new Attempt.Done(DeliveryResult.of(report(template, detail, List.of()))));
        }
        try {
            client.upgrade(plain -> tls.handshake(plain, plan.mxHost()));
        } catch (IOException e) {
            client.abort();
            PeerCheckException refused = tls.verifier().failure();
            failure = refused == null ? "handshake" : switch (refused.failure()) {
                case NAME_MISMATCH -> "name-mismatch";
                case PIN_MISMATCH, PIN_UNKNOWN_DIGEST -> "pin-mismatch";
                case TLSA_MISMATCH -> "dane-mismatch";
                default -> "untrusted";
            };
            if (refused == null) {
                return ended(plan.plaintextRetry() ? new Attempt.RetryWithoutTls()
                        : new Attempt.TryNext(report(TLS_HANDSHAKE_FAILED, "", List.of())));
            }
            ReportTemplate template = switch (refused.failure()) {
                case NAME_MISMATCH -> TLS_CERTIFICATE_NAME;
                case PIN_MISMATCH -> TLS_PIN_MISMATCH;
                case PIN_UNKNOWN_DIGEST -> TLS_PIN_DIGEST;
                case TLSA_MISMATCH -> TLS_TLSA_MISMATCH;
                default -> TLS_CERTIFICATE_UNTRUSTED;
            };
            return ended(new Attempt.TryNext(report(template, refused.detail(), List.of())));
        }
        return new SessionStep.Secured(tls);
    }

    private TlsClient newClient(Optional<ClientIdentity> identity) throws TlsConfigException {
        return plan.client(tlsContexts, identity);
    }

    /**
     * The connection failed inside TLS before MAIL FROM was accepted: a new connection without TLS where
     * the plan allows, else the next address with s/qmail's protocol-error report.
     */
    Attempt lostBeforeMail() {
        failure = "protocol";
        return plan.plaintextRetry() ? new Attempt.RetryWithoutTls() : new Attempt.TryNext(protocolError());
    }

    /**
     * The report for a connection that failed inside TLS (an alert, or a reset racing it: with TLS 1.3 a
     * refused client certificate shows only after the handshake), as s/qmail words it.
     */
    Report protocolError() {
        failure = "protocol";
        return report(TLS_PROTOCOL_ERROR, "", List.of());
    }

    /**
     * Why TLS was not had on this connection, for the delivery log: "starttls" (not offered or refused where
     * it was required), "handshake", "protocol" (the connection failed inside TLS), "untrusted",
     * "name-mismatch", "pin-mismatch", "dane-mismatch", "client-certificate", "configuration"; null if none.
     */
    String failure() {
        return failure;
    }

    /** The K template that says how the peer of a TLS session was checked. */
    static ReportTemplate acceptedOver(TlsClient tls) {
        TlsOutcome outcome = tls.verifier().outcome();
        return switch (outcome) {
            case CA -> MESSAGE_ACCEPTED_TLS_CA;
            case CA_AND_NAME_WILDCARD -> MESSAGE_ACCEPTED_TLS_CA_DN_WILDCARD;
            case CA_AND_NAME_EXACT -> MESSAGE_ACCEPTED_TLS_CA_DN;
            case PINNED -> MESSAGE_ACCEPTED_TLS_PINNED;
            case TLSA -> MESSAGE_ACCEPTED_TLS_TLSA;
            default -> MESSAGE_ACCEPTED_TLS;
        };
    }

    /** No TLS to be had here where it must be: QUIT, and the next address. */
    private SessionStep negotiationFailed(List<String> said) {
        failure = "starttls";
        client.quit();
        return ended(new Attempt.TryNext(report(TLS_NEGOTIATION_FAILED, "", said)));
    }

    private Report report(ReportTemplate template, String detail, List<String> said) {
        return Reports.forTls(template, peer, plan.mxHost(), plan.destination(), detail, said);
    }

    private static SessionStep ended(Attempt attempt) {
        return new SessionStep.Ended(attempt);
    }

    /** s/qmail names both; only the one configured is known here. */
    private static String caDetail(String location) {
        return location.endsWith("/") ? "(none) or CADIR: " + location : location;
    }
}
