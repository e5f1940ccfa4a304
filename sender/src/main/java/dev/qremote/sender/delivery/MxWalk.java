package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.CONTROL_INVALID;
import static dev.qremote.sender.report.ReportTemplate.CONTROL_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.DOMAINIPS_INVALID;
import static dev.qremote.sender.report.ReportTemplate.LOCAL_BIND_FAILED;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_ACCEPTED;
import static dev.qremote.sender.report.ReportTemplate.STS_ENFORCED_NOTE;
import static dev.qremote.sender.report.ReportTemplate.STS_MX_NOT_LISTED;
import static dev.qremote.sender.report.ReportTemplate.STS_TESTING_NOTE;
import static dev.qremote.sender.report.ReportTemplate.STS_UNAVAILABLE_NOTE;
import static dev.qremote.sender.report.ReportTemplate.TLS_REQUIRED_NO_NOTE;
import static dev.qremote.sender.report.ReportTemplate.NO_CONNECTION;
import static dev.qremote.sender.report.ReportTemplate.SYSTEM_RESOURCES;
import static dev.qremote.sender.report.ReportTemplate.TLSA_LOOKUP_FAILED;
import static dev.qremote.sender.report.ReportTemplate.TLS_FALLBACK_NOTE;

import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.routing.Credentials;
import dev.qremote.sender.routing.DomainIps;
import dev.qremote.sender.routing.Route;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.sts.StsOutcome;
import java.util.Optional;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.transport.smtp.SmtpConnection;
import java.io.IOException;
import dev.qremote.sender.message.MessageSource;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

/**
 * The walk over the addresses of the mail exchangers, best first: addresses the timeout memory marks are
 * skipped, refused connections move on, and so does a session that ended before MAIL FROM was accepted
 * (see SmtpSession); when nothing worked, the last such failure is the report. No connection is begun
 * once the delivery's deadline has passed, and none waits past it.
 */
final class MxWalk {
    private final DeliveryContext context;
    private final Controls controls;
    private final ControlSnapshot settings;
    private final TlsPlanner planner;
    private final Deadline deadline;
    /** control/deliverylog's file; empty: nothing is traced or written. */
    private final Optional<java.nio.file.Path> log;
    private String host = "";
    /** Attempts of this delivery so far (for the log). */
    private int attempts;
    /** Whether an attempt's own result ended the walk (its log line carries the letter). */
    private boolean decided;
    /** What MTA-STS found for the delivery and, as the walk goes, what came of it; empty when it was off. */
    private Optional<StsOutcome> sts = Optional.empty();
    /** control/tlsrptspool's directory; empty: no TLS reporting. */
    private final Optional<java.nio.file.Path> tlsRpt;
    /** Whether the route goes to the domain's own MXs (the only sessions TLS reporting speaks of). */
    private boolean mailExchangers;
    /** A split delivery the server's MAILMAX sent to a new connection; null otherwise. */
    private Split continuing;

    MxWalk(DeliveryContext context, Controls controls, ControlSnapshot settings, TlsPlanner planner,
            Deadline deadline) {
        this.context = context;
        this.controls = controls;
        this.settings = settings;
        this.planner = planner;
        this.deadline = deadline;
        this.log = settings.deliveryLog();
        this.tlsRpt = settings.tlsRptSpool();
    }

    /** The delivery's host argument, as the delivery log names it. */
    MxWalk loggedAs(String host) {
        this.host = host;
        return this;
    }

    /** What MTA-STS discovery found for the delivery: recorded, updated by the walk, and noted in a K report. */
    MxWalk sts(StsOutcome found) {
        this.sts = Optional.of(found);
        return this;
    }

    DeliveryResult deliver(List<Destination> candidates, Route route, String sender, Envelope envelope,
            MessageSource message) {
        java.time.Instant start = context.clock().instant();
        DeliveryResult result = walk(candidates, route, envelope, sender, message);
        if (sts.isPresent() && tlsRpt.isPresent() && sts.get().policyType().equals("sts")
                && sts.get().mode().isEmpty()) {
            // a published policy that could not be had: once per delivery, whatever its sessions were
            TlsReporting.unavailable(dev.qremote.sender.attemptlog.AppendLog.unkept(), tlsRpt.get(), start,
                    planner.destination(), sts.get());
        }
        if (sts.isPresent()) {
            StsOutcome outcome = sts.get();
            if (outcome.mode().isEmpty() && !outcome.resultType().equals("success")
                    && result.messageReport().template().letter() == 'K') {
                result = new DeliveryResult(result.recipientReports(), Reports.withNote(result.messageReport(),
                        STS_UNAVAILABLE_NOTE, outcome.domain() + ": " + outcome.resultType() + " (" + outcome.reason()
                        + ")"));
            }
            result = result.withSts(outcome);
        }
        if (log.isPresent() && !decided) {
            // no attempt decided (none could connect, the deadline, a control file): the delivery's own line,
            // so that its letter is in the log as a decided attempt's is
            try {
                boolean cancelled = deadline.cancellation().cancelled()
                        && !DeliveryEngine.standsCancel(result.messageReport());
                context.deliveryLog().append(log.get(), AttemptTrace.withoutAttempt(start, context.clock().instant(),
                        host, envelope.sender(), envelope.recipients(),
                        DeliveryEngine.asLogged(result.messageReport(), cancelled),
                        cancelled ? "cancelled" : attempts == 0 ? "no-attempt" : "gave-up", loggedSts()));
            } catch (RuntimeException e) {
                // the log never changes a delivery
            }
        }
        return result;
    }

    private DeliveryResult walk(List<Destination> candidates, Route route, Envelope envelope, String sender,
            MessageSource message) {
        int routePort = route.port();
        mailExchangers = route instanceof Route.MailExchangers;
        Optional<AuthPlan> auth;
        Optional<InetAddress> local;
        Optional<DomainIps.Binding> binding = DomainIps.forSender(sender, controls.domainIps());
        try {
            auth = authPlan(route);
            local = route instanceof Route.Relay relay && relay.localAddress().isPresent()
                    ? Optional.of(BindAddress.parse(relay.localAddress().get(), relay.source()))
                    : binding.isPresent() ? Optional.of(BindAddress.parse(binding.get().localAddress(), "domainips"))
                    : Optional.empty();
        } catch (ControlFileException e) {
            if (e.getMessage().startsWith("control/domainips")) {
                return DeliveryResult.of(Reports.of(DOMAINIPS_INVALID));
            }
            return DeliveryResult.of(e.invalidContent() ? Reports.withDetail(CONTROL_INVALID, e.getMessage())
                    : Reports.of(CONTROL_UNREADABLE));
        }
        String helo = binding.flatMap(DomainIps.Binding::heloHost).orElse(controls.heloHost());
        boolean implicitRoute = route instanceof Route.Relay relay && relay.implicitTls();
        TimeoutMemory memory = context.timeoutMemory();
        Report lastFailure = null;
        // an MX an enforce policy does not list is passed over, not tried: its report stands only when no
        // MX was tried at all (fresh8 F6)
        Report notListed = null;
        boolean tried = false;
        for (Destination destination : candidates) {
            if (deadline.expired()) {
                return DeliveryResult.of(lastFailure != null ? lastFailure : DeliveryEngine.timedOut(controls));
            }
            InetAddress address = destination.address();
            // an idle session kept to the address shows it answers: qmail's timeout memory (a file read) is
            // not asked; were the session stale, the fresh connection is made as to an unlisted address
            TimeoutMemory.Check seen = controls.reuse() && context.sessionCache().holdsFor(address)
                    ? TimeoutMemory.Check.UNLISTED
                    : memory.check(address);
            if (seen == TimeoutMemory.Check.SKIP) {
                tried = true; // as qmail's tcpto: no connection to it, for now
                continue;
            }
            TlsPlan plan;
            try {
                plan = planner.plan(destination, routePort);
            } catch (DnsTemporaryException e) {
                lastFailure = Reports.forTls(TLSA_LOOKUP_FAILED, address, destination.host(), planner.destination(),
                        "", List.of());
                continue;
            }
            if (implicitRoute) {
                plan = plan.implicitTls();
            }
            if (plan.enforcement() == Enforcement.STS_ENFORCE && !plan.mxListed()) {
                notListed = Reports.forTls(STS_MX_NOT_LISTED, address, destination.host(), planner.destination(), "",
                        List.of());
                stsResult("validation-failure", destination.host(), "the policy does not list the MX host");
                if (tlsRpt.isPresent()) {
                    TlsReporting.unlisted(dev.qremote.sender.attemptlog.AppendLog.unkept(), tlsRpt.get(),
                            context.clock().instant(), planner.destination(), sts.get(), local, destination.host(),
                            address);
                }
                continue;
            }
            tried = true;
            Attempt attempt = session(address, local, helo, plan, auth, seen, envelope, message);
            if (attempt instanceof Attempt.RetryWithoutTls) {
                plan = plan.withoutTls();
                retryingWithoutTls = true;
                try {
                    attempt = session(address, local, helo, plan, auth, seen, envelope, message);
                } finally {
                    retryingWithoutTls = false;
                }
            }
            while (attempt instanceof Attempt.More more) {
                attempt = rest(more.split(), address, local, helo, plan, auth, seen, envelope, message);
            }
            if (attempt instanceof Attempt.Done done) {
                decided = true;
                return noted(done.result(), plan, done.audit());
            }
            if (attempt instanceof Attempt.TryNext next) {
                lastFailure = next.report();
                if (plan.enforcement() == Enforcement.STS_ENFORCE) {
                    stsResult(failureType(next.report()), plan.mxHost(), "TLS as the policy asks failed");
                }
            }
        }
        return DeliveryResult.of(lastFailure != null ? lastFailure
                : !tried && notListed != null ? notListed : Reports.of(NO_CONNECTION));
    }

    /** RFC 8460 4.3's result type for a connection refused under an MTA-STS policy in enforce mode. */
    private static String failureType(Report report) {
        return switch (report.template()) {
            case TLS_NEGOTIATION_FAILED -> "starttls-not-supported";
            case TLS_CERTIFICATE_NAME -> "certificate-host-mismatch";
            case TLS_CERTIFICATE_UNTRUSTED -> "certificate-not-trusted";
            default -> "validation-failure";
        };
    }

    /** The delivery's MTA-STS state for its own log line: {"mode", MODE, "result", TYPE}, or null. */
    private String[] loggedSts() {
        if (sts.isEmpty() || !sts.get().policyType().equals("sts")) {
            return null;
        }
        StsOutcome outcome = sts.get();
        return new String[] {"mode", outcome.mode().map(MxWalk::modeName).orElse(null), "result",
                outcome.resultType()};
    }

    private static String modeName(dev.qremote.sender.sts.StsMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The attempt's MTA-STS state for its log line: null without a published policy; the mode and the result
     * type of the session as TLS reporting counts it when the policy judged it, or the fetch failure when
     * no policy could be had; the mode and a null result when DANE, an explicit rule or TLS-Required: No
     * decided the attempt instead, or it ended before TLS was chosen.
     */
    private void traceSts(AttemptTrace trace, TlsPlan plan) {
        if (sts.isEmpty() || !sts.get().policyType().equals("sts")) {
            return;
        }
        StsOutcome outcome = sts.get();
        if (outcome.mode().isEmpty()) {
            trace.sts(null, outcome.resultType());
            return;
        }
        String result = null;
        if (TlsReporting.underSts(plan, sts) && !trace.wasReused()) {
            TlsClient tls = trace.tls();
            result = TlsReporting.result(plan, tls, trace.tlsFailure(), tls == null ? "" : tls.verifier().audit(),
                    trace.ehloAnswered()).orElse(null);
        }
        trace.sts(modeName(outcome.mode().get()), result);
    }

    private void stsResult(String type, String mx, String why) {
        sts = sts.map(outcome -> outcome.mode().isPresent() ? outcome.withResult(type, mx, why) : outcome);
    }

    /**
     * A K report says what MTA-STS or a TLS-Required: No header made of its connection (the TLS reporting
     * outcome is recorded with it); other reports are as they are.
     */
    private DeliveryResult noted(DeliveryResult result, TlsPlan plan, String audit) {
        Report report = result.messageReport();
        if (report.template().letter() != 'K') {
            return result;
        }
        String domain = planner.destination();
        String mx = plan.mxHost();
        Report noted;
        switch (plan.enforcement()) {
            case STS_ENFORCE -> {
                stsResult("success", mx, "");
                noted = Reports.withNote(report, STS_ENFORCED_NOTE, domain + ", mode enforce, " + mx
                        + " listed, its certificate valid for it");
            }
            case STS_TESTING -> {
                boolean plaintext = report.template() == MESSAGE_ACCEPTED;
                String failure = !plan.mxListed() ? mx + " is not listed"
                        : plaintext ? "no TLS with " + mx
                        : !audit.isEmpty() ? "the certificate of " + mx + " would be refused (" + audit + ")"
                        : "no failure seen";
                stsResult(!plan.mxListed() ? "validation-failure" : plaintext ? "starttls-not-supported"
                        : !audit.isEmpty() ? audit : "success", mx, failure);
                noted = Reports.withNote(report, STS_TESTING_NOTE, domain + ", " + failure);
            }
            case STS_WAIVED -> {
                stsResult(plan.mxListed() ? "success" : "validation-failure", mx, "TLS-Required: No");
                noted = Reports.withNote(report, TLS_REQUIRED_NO_NOTE, "the MTA-STS policy of " + domain);
            }
            case DANE_WAIVED -> noted = Reports.withNote(report, TLS_REQUIRED_NO_NOTE, "DANE for " + mx);
            default -> {
                return result;
            }
        }
        return new DeliveryResult(result.recipientReports(), noted);

    }

    /**
     * The rest of a split delivery over a new connection to the same address (RFC 9422 4.1: MAILMAX ended
     * the last one), never over a kept session; when that connection does not go as far as a decision, the
     * recipients not yet taken are deferred, and the transactions made stand.
     */
    private Attempt rest(Split split, InetAddress address, Optional<InetAddress> local, String helo, TlsPlan plan,
            Optional<AuthPlan> auth, TimeoutMemory.Check seen, Envelope envelope, MessageSource message) {
        continuing = split;
        Attempt attempt;
        try {
            attempt = session(address, local, helo, plan, auth, seen, envelope, message);
        } finally {
            continuing = null;
        }
        if (attempt instanceof Attempt.Done || attempt instanceof Attempt.More) {
            return attempt;
        }
        split.rest(attempt instanceof Attempt.TryNext next ? next.report() : Reports.of(NO_CONNECTION));
        return new Attempt.Done(split.result());
    }

    /** Set while the plaintext retry after a TLS failure runs: its K says so. */
    private boolean retryingWithoutTls;

    /** A message that went in plaintext after STARTTLS failed says so in its K report. */
    private static Attempt withoutTls(Attempt attempt) {
        if (attempt instanceof Attempt.Done done && done.result().messageReport().template().letter() == 'K') {
            DeliveryResult result = done.result();
            return new Attempt.Done(new DeliveryResult(result.recipientReports(),
                    Reports.withNote(result.messageReport(), TLS_FALLBACK_NOTE)));
        }
        return attempt;
    }

    /** One connection and its SMTP session; {@link Attempt.NoConnection} when the connection could not be made. */
    private Attempt session(InetAddress address, Optional<InetAddress> local, String helo, TlsPlan plan,
            Optional<AuthPlan> auth, TimeoutMemory.Check seen, Envelope envelope, MessageSource message) {
        if (log.isEmpty() && (tlsRpt.isEmpty() || !mailExchangers)) {
            return connect(address, local, helo, plan, auth, seen, envelope, message, null);
        }
        AttemptTrace trace = new AttemptTrace(context.clock(), host, envelope.sender(), envelope.recipients(), ++attempts,
                plan.mxHost(), address, context.connectPort(plan.servicePort()));
        Attempt attempt = connect(address, local, helo, plan, auth, seen, envelope, message, trace);
        attempts = trace.last().number();
        return attempt;
    }

    /** The line of {@code trace}, ended as {@code attempt} says; a log that cannot be written is passed by. */
    private void write(AttemptTrace trace, Attempt attempt) {
        try {
            context.deliveryLog().append(log.get(), trace.line(attempt, deadline.cancellation().cancelled()));
        } catch (RuntimeException e) {
            // the log never changes a delivery
        }
    }

    private Attempt connect(InetAddress address, Optional<InetAddress> local, String helo, TlsPlan plan,
            Optional<AuthPlan> auth, TimeoutMemory.Check seen, Envelope envelope, MessageSource message,
            AttemptTrace trace) {
        Attempt attempt = connectTraced(address, local, helo, plan, auth, seen, envelope, message, trace);
        if (retryingWithoutTls) {
            attempt = withoutTls(attempt); // noted before it is logged: the log's report is the one printed (fresh9 L1)
        }
        if (trace != null && log.isPresent()) {
            traceSts(trace.last(), plan);
            write(trace.last(), attempt);
        }
        if (trace != null && tlsRpt.isPresent() && mailExchangers && !trace.last().wasReused()
                && trace.last().local() != null) {
            AttemptTrace last = trace.last();
            TlsReporting.record(dev.qremote.sender.attemptlog.AppendLog.unkept(), tlsRpt.get(), last.started(), plan,
                    planner.destination(), sts, last.local(), address, last.tls(), last.tlsFailure(),
                    last.ehloAnswered());
        }
        return attempt;
    }

    private Attempt connectTraced(InetAddress address, Optional<InetAddress> local, String helo, TlsPlan plan,
            Optional<AuthPlan> auth, TimeoutMemory.Check seen, Envelope envelope, MessageSource message,
            AttemptTrace trace) {
        if (deadline.expired()) {
            return new Attempt.NoConnection(); // none is begun past the deadline, a plaintext retry included
        }
        int port = context.connectPort(plan.servicePort());
        DialogueDeadline dialogue = new DialogueDeadline(deadline, controls.remoteTimeout(),
                DeliveryEngine.timedOut(controls));
        SessionCache cache = context.sessionCache();
        Keeping keeping = Keeping.NEVER;
        if (cache.enabled() && controls.reuse() && continuing == null) {
            Object trust = plan.never() ? java.util.List.of() : context.tlsContexts().trustIdentity(plan.policy());
            SessionKey key = new SessionKey(address, port, plan, trust, false, helo, local, auth);
            keeping = new Keeping(cache, key, controls.reuseIdle(), controls.reuseMax(), deadline.cancellation());
            Optional<IdleSession> kept = kept(cache, key, plan);
            if (kept.isPresent()) {
                deadline.cancellation().closeOnCancel(kept.get().socket());
                if (trace != null) {
                    trace.reused();
                }
                Attempt attempt = SmtpSession.resume(kept.get(), address, helo, plan, context.tlsContexts(), auth,
                        controls.chunkSize(), dialogue, keeping, envelope, message, trace);
                if (!(attempt instanceof Attempt.Stale)) {
                    return attempt;
                }
                if (trace != null) {
                    if (log.isPresent()) {
                        write(trace, attempt);
                    }
                    trace = trace.next();
                }
                deadline.cancellation().release(kept.get().socket());
                if (deadline.expired()) {
                    return new Attempt.TryNext(dialogue.expired());
                }
                // as if nothing had been kept: a fresh connection to the same address
            }
        }
        Socket socket;
        try {
            Optional<Socket> dialled = new Dialer(context, context.timeoutMemory(), controls.connectTimeout(), deadline)
                    .dial(address, port, local, seen);
            if (dialled.isEmpty()) {
                return new Attempt.NoConnection();
            }
            socket = dialled.get();
            if (trace != null) {
                trace.local(socket.getLocalAddress());
            }
        } catch (Connector.BindException e) {
            return new Attempt.Done(DeliveryResult.of(Reports.withDetail(LOCAL_BIND_FAILED, e.getMessage())));
        }
        SmtpConnection connection;
        try {
            connection = new SmtpConnection(socket, controls.remoteTimeout(), context.timer());
        } catch (IOException e) {
            Dialer.closeQuietly(socket);
            return new Attempt.Done(DeliveryResult.of(Reports.of(SYSTEM_RESOURCES)));
        }
        return new SmtpSession(new SmtpClient(connection), socket, address, helo, plan, context.tlsContexts(),
                auth, context.mayReceiveCredentialsInClear(address), controls.chunkSize(), dialogue, keeping, null)
                .continuing(continuing).traced(trace).run(envelope, message);
    }

    /** A kept session for this connection: one with TLS first, unless the plan never uses it. */
    private static Optional<IdleSession> kept(SessionCache cache, SessionKey key, TlsPlan plan) {
        if (plan.never()) {
            return cache.take(key.withTls(false));
        }
        Optional<IdleSession> secured = cache.take(key.withTls(true));
        return secured.isPresent() || plan.mandatory() ? secured : cache.take(key.withTls(false));
    }

    /**
     * The route's credentials. A secret "oauth2:FILE" is a bearer token for XOAUTH2, from FILE (from the
     * qmail home when relative; read with the snapshot, so a renewed token is taken up within the snapshot's
     * recheck interval), so that tokens can be renewed without touching the route.
     */
    private Optional<AuthPlan> authPlan(Route route) throws ControlFileException {
        if (route.credentials().isEmpty()) {
            return Optional.empty();
        }
        Credentials credentials = route.credentials().get();
        String relay = route instanceof Route.Relay r ? r.relay() : "";
        boolean plaintext = false;
        for (String line : settings.authPlaintext().get()) {
            plaintext |= line.equals("*") || line.equalsIgnoreCase(relay);
        }
        String secret = credentials.secret();
        if (secret.startsWith("oauth2:")) {
            String file = route instanceof Route.Relay r ? r.source() : "smtproutes";
            String token = settings.oauthToken(secret.substring(7)).orElseThrow(() ->
                    ControlFileException.invalid(file, "the OAuth token file of the route is unreadable"));
            // XOAUTH2 separates its fields with ^A: a control byte in the user or token would shift them
            if (!token.chars().allMatch(c -> c > 32 && c < 127) || credentials.user().chars().anyMatch(c -> c < 32)) {
                throw ControlFileException.invalid(file, "the OAuth user or token of the route has control bytes");
            }
            return Optional.of(new AuthPlan(credentials.user(), token, true, plaintext));
        }
        return Optional.of(new AuthPlan(credentials.user(), secret, false, plaintext));
    }
}
