package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.AMBIGUOUS_MX;
import static dev.qremote.sender.report.ReportTemplate.CONTROL_INVALID;
import static dev.qremote.sender.report.ReportTemplate.CONTROL_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.DELIVERY_CANCELLED;
import static dev.qremote.sender.report.ReportTemplate.DELIVERY_TIMED_OUT;
import static dev.qremote.sender.report.ReportTemplate.DNS_TEMPORARY;
import static dev.qremote.sender.report.ReportTemplate.HOME_UNREACHABLE;
import static dev.qremote.sender.report.ReportTemplate.HOST_NOT_FOUND;
import static dev.qremote.sender.report.ReportTemplate.INTERNAL_ERROR;
import static dev.qremote.sender.report.ReportTemplate.INVOKED_IMPROPERLY;
import static dev.qremote.sender.report.ReportTemplate.MESSAGE_UNREADABLE;
import static dev.qremote.sender.report.ReportTemplate.NO_MAIL_EXCHANGER;
import static dev.qremote.sender.report.ReportTemplate.NULL_MX;
import static dev.qremote.sender.report.ReportTemplate.OUT_OF_MEMORY;
import static dev.qremote.sender.report.ReportTemplate.SENDER_UNUSABLE;
import static dev.qremote.sender.report.ReportTemplate.SYSTEM_RESOURCES;

import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DestinationLookup;
import dev.qremote.sender.dns.Destinations;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.dns.IpLiteral;
import dev.qremote.sender.dns.RootTrustAnchors;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.message.TlsRequiredField;
import dev.qremote.sender.sts.PolicyDirectory;
import dev.qremote.sender.sts.PolicyFetcher;
import dev.qremote.sender.sts.StsDiscovery;
import dev.qremote.sender.sts.StsSettings;
import dev.qremote.sender.tls.TlsConfigException;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.routing.Route;
import dev.qremote.sender.routing.RouteException;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.settings.ControlSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One delivery from arguments and message to reports: controls, route, mail exchangers, the best-MX loop
 * check, the walk over addresses (skipping those the timeout memory marks), then one SMTP transaction.
 * Everything before the message transfer shares one {@link Deadline}, control/timeoutdelivery from the
 * moment the delivery takes its {@link ControlSnapshot}, which it keeps to the end: a problem recorded in
 * the snapshot is reported where the delivery needs that file.
 * This class and {@link SmtpSession} are where temporary versus permanent is decided. It holds no state
 * between deliveries; everything it touches comes from {@link DeliveryContext}.
 */
public final class DeliveryEngine {
    /** The SMTP service port; a test bench may connect elsewhere (DeliveryContext.connectPort). */
    static final int SMTP_PORT = 25;
    /** The port of MTA-STS policy hosts; a test bench may connect elsewhere (DeliveryContext.connectPort). */
    static final int HTTPS_PORT = 443;
    /** The most one MTA-STS policy fetch may take, connections included (within the delivery's deadline). */
    static final java.time.Duration POLICY_FETCH_LIMIT = java.time.Duration.ofSeconds(60);

    private final DeliveryContext context;

    public DeliveryEngine(DeliveryContext context) {
        this.context = context;
    }

    /**
     * Delivers one message. Thread-safe: many deliveries may run at once on one engine. Never throws:
     * whatever goes wrong ends as a report, and anything unforeseen as a temporary failure, so no mail is
     * lost to a bug. A delivery cancelled before its message was accepted reports Z; one cancelled after its
     * final dot keeps the report that says "Possible duplicate!".
     */
    public DeliveryResult deliver(DeliveryRequest request) {
        DeliveryResult result;
        try {
            result = attempt(request);
        } catch (OutOfMemoryError e) {
            result = DeliveryResult.of(Reports.of(OUT_OF_MEMORY));
        } catch (RuntimeException | Error e) {
            result = DeliveryResult.of(Reports.withDetail(INTERNAL_ERROR, e.getClass().getSimpleName()));
        }
        return request.cancellation().cancelled() ? cancelled(result) : result;
    }

    /** What a cancelled delivery reports: a K or a possible duplicate stands; anything else defers. */
    private static DeliveryResult cancelled(DeliveryResult result) {
        return standsCancel(result.messageReport()) ? result : DeliveryResult.of(Reports.of(DELIVERY_CANCELLED));
    }

    /** Whether {@code report} stays the delivery's after a cancel: a K, or a failure after the final dot. */
    static boolean standsCancel(Report report) {
        return report.template().letter() == 'K' || report.template().possibleDuplicate();
    }

    /**
     * What the delivery log says decided: the cancel, when {@code cancelled} and the report would not stand
     * it (the cut connection's or the deadline's text is not what the delivery reports).
     */
    static Report asLogged(Report report, boolean cancelled) {
        return cancelled && !standsCancel(report) ? Reports.of(DELIVERY_CANCELLED) : report;
    }

    private DeliveryResult attempt(DeliveryRequest request) {
        if (request.recipients().isEmpty()) {
            return DeliveryResult.of(Reports.of(INVOKED_IMPROPERLY));
        }
        ControlSnapshot settings = context.controlSnapshot();
        if (!settings.homeReachable()) {
            return DeliveryResult.of(Reports.of(HOME_UNREACHABLE));
        }
        if (settings.deliveryLog().isEmpty()) {
            return withSnapshot(request, settings, null);
        }
        java.time.Instant start = context.clock().instant();
        boolean[] attempted = {false};
        DeliveryResult result = withSnapshot(request, settings, attempted);
        if (!attempted[0]) {
            try {
                boolean cancelled = request.cancellation().cancelled() && !standsCancel(result.messageReport());
                context.deliveryLog().append(settings.deliveryLog().get(), AttemptTrace.withoutAttempt(start,
                        context.clock().instant(), request.host(), request.sender(), request.recipients(),
                        asLogged(result.messageReport(), cancelled), cancelled ? "cancelled" : "no-attempt"));
            } catch (RuntimeException e) {
                // the log never changes a delivery
            }
        }
        return result;
    }

    /**
     * The delivery once the control files are at hand; {@code attempted}, when not null, is set once the
     * delivery went to mail exchangers (whose walk logs its own attempts).
     */
    private DeliveryResult withSnapshot(DeliveryRequest request, ControlSnapshot settings, boolean[] attempted) {
        String sender = request.sender();
        MessageSource message = request.message();
        Controls controls;
        try {
            controls = settings.controls().get();
            settings.hostDirectories().get();
        } catch (ControlFileException e) {
            return DeliveryResult.of(e.invalidContent()
                    ? Reports.withDetail(CONTROL_INVALID, e.getMessage())
                    : Reports.of(CONTROL_UNREADABLE));
        }
        Deadline deadline = Deadline.after(context.clock(), controls.deliveryTimeout(), request.deadline(),
                request.cancellation());
        String host = request.host();
        Route route;
        TlsDestinations tlsDestinations;
        DnssecMode dnssec;
        try {
            route = SmtpRouter.route(host, sender, controls.smtpRoutes(), controls.authSenders(),
                    controls.qmtpRoutes(), SMTP_PORT);
            tlsDestinations = settings.tlsDestinations().get();
            dnssec = settings.dnssec().get();
            settings.trustAnchors().get();
        } catch (RouteException | ControlFileException e) {
            return DeliveryResult.of(Reports.withDetail(CONTROL_INVALID, e.getMessage()));
        }
        Optional<Envelope> envelope = Envelope.of(sender, request.recipients());
        if (envelope.isEmpty()) {
            return DeliveryResult.of(Reports.of(SENDER_UNUSABLE));
        }

        DnsResolver resolver = context.resolver(controls.dnsTimeout(), dnssec,
                controls.trustAnchors().orElse(RootTrustAnchors.IANA), deadline);
        DestinationLookup lookup = new DestinationLookup(resolver, context.random());
        String destination = route instanceof Route.Relay relay ? relay.relay()
                : route instanceof Route.Qmtp qmtp ? qmtp.relay() : ((Route.MailExchangers) route).domain();
        Destinations destinations;
        try {
            destinations = route instanceof Route.MailExchangers ? lookup.forDomain(destination)
                    : lookup.forRelay(destination);
        } catch (DnsTemporaryException e) {
            return DeliveryResult.of(deadline.expired() ? timedOut(controls) : Reports.of(DNS_TEMPORARY));
        }
        if (destinations instanceof Destinations.NoSuchHost missing) {
            return DeliveryResult.of(Reports.forHost(HOST_NOT_FOUND, missing.name()));
        }
        if (destinations instanceof Destinations.NullMx nullMx) {
            return DeliveryResult.of(Reports.forHost(NULL_MX, nullMx.domain()));
        }
        if (!(destinations instanceof Destinations.Found found)) {
            return DeliveryResult.of(Reports.of(NO_MAIL_EXCHANGER));
        }

        if (route instanceof Route.Qmtp qmtp) {
            if (attempted != null) {
                attempted[0] = true; // QMTP logs its own attempts
            }
            return new QmtpDelivery(context, controls, deadline).loggedTo(settings.deliveryLog(), host)
                    .deliver(found.destinations(), qmtp, sender, request.recipients(), message);
        }
        List<Destination> candidates;
        try {
            candidates = route instanceof Route.Relay ? found.destinations()
                    : OwnMx.better(found.destinations(), context.localAddresses());
        } catch (IOException e) {
            return DeliveryResult.of(Reports.of(SYSTEM_RESOURCES));
        }
        if (candidates.isEmpty()) {
            return DeliveryResult.of(Reports.of(AMBIGUOUS_MX));
        }
        TlsPlanner planner;
        try {
            planner = new TlsPlanner(tlsDestinations, settings, resolver, dnssec, destination, sender,
                    TlsPlanner.clientCertificate(settings, sender), controls.tlsFallback());
        } catch (ControlFileException e) {
            return DeliveryResult.of(e.invalidContent() ? Reports.withDetail(CONTROL_INVALID, e.getMessage())
                    : Reports.of(CONTROL_UNREADABLE));
        }
        if (message.unreadable()) {
            return DeliveryResult.of(Reports.of(MESSAGE_UNREADABLE));
        }
        StsSettings sts;
        try {
            sts = settings.sts().get();
        } catch (ControlFileException e) {
            return DeliveryResult.of(Reports.withDetail(CONTROL_INVALID, e.getMessage()));
        }
        java.util.function.BooleanSupplier waive = () -> sts.honourTlsRequiredNo() && TlsRequiredField.no(message);
        MxWalk walk = new MxWalk(context, controls, settings, planner, deadline).loggedAs(host);
        if (sts.enabled() && route instanceof Route.MailExchangers && IpLiteral.parse(destination).isEmpty()) {
            StsDiscovery.Found policy;
            try {
                policy = discovery(resolver, sts, controls, deadline).discover(destination);
            } catch (TlsConfigException e) {
                return DeliveryResult.of(Reports.withDetail(CONTROL_INVALID,
                        "control/mtastscafile: no CA certificate in " + e.getMessage()));
            }
            planner.sts(policy.policy(), sts.caFile(), waive);
            walk.sts(policy.outcome());
        } else {
            planner.sts(Optional.empty(), Optional.empty(), waive);
        }
        if (attempted != null) {
            attempted[0] = true;
        }
        return walk.deliver(candidates, route, sender, envelope.get(), message);
    }

    /**
     * MTA-STS discovery for one delivery: the context's policies in memory, control/mtastscache's directory,
     * and fetches over the context's sockets to port 443 (or where a bench moved it), within the deadline.
     */
    private StsDiscovery discovery(DnsResolver resolver, StsSettings sts, Controls controls, Deadline deadline)
            throws TlsConfigException {
        PolicyFetcher fetcher = new PolicyFetcher(
                (target, timeout) -> context.connector().connect(target, Optional.empty(), timeout,
                        deadline.cancellation()),
                context.tlsContexts().webPki(sts.caFile()), context.connectPort(HTTPS_PORT), controls.connectTimeout(),
                deadline.bound(POLICY_FETCH_LIMIT));
        return new StsDiscovery(resolver, context.stsMemory(), sts.cacheDirectory().map(PolicyDirectory::new), fetcher,
                context.clock());
    }

    /** The report when control/timeoutdelivery passed before any mail exchanger could be asked. */
    static Report timedOut(Controls controls) {
        return Reports.withDetail(DELIVERY_TIMED_OUT, Long.toString(controls.deliveryTimeout().toSeconds()));
    }

}
