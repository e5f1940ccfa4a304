package dev.qremote.sender.check;

import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.ControlLine;
import dev.qremote.sender.control.Controls;
import dev.qremote.sender.delivery.TlsPlan;
import dev.qremote.sender.delivery.TlsPlanner;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DestinationLookup;
import dev.qremote.sender.dns.Destinations;
import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.dns.IpLiteral;
import dev.qremote.sender.dns.RootTrustAnchors;
import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.machine.Knobs;
import dev.qremote.sender.machine.SystemContext;
import dev.qremote.sender.routing.Credentials;
import dev.qremote.sender.routing.DomainIps;
import dev.qremote.sender.routing.Route;
import dev.qremote.sender.routing.RouteException;
import dev.qremote.sender.routing.SmtpRouter;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.transport.smtp.AuthMechanisms;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What a delivery to a domain would do, found with the sender's own parts and the same DNS settings, without
 * connecting to any mail exchanger: the route and the line that chose it, the mail exchangers and their
 * addresses with DNSSEC status, per MX the TLS policy and what decided it, the DANE state, the AUTH
 * mechanisms, the HELO name and the local address. Lines starting with "problem: " count as problems.
 */
final class DeliveryExplanation {
    private final ControlSnapshot snapshot;
    private final Knobs knobs;
    private final SystemContext context;

    DeliveryExplanation(ControlSnapshot snapshot, Knobs knobs, SystemContext context) {
        this.snapshot = snapshot;
        this.knobs = knobs;
        this.context = context;
    }

    List<String> explain(String domain, String sender) {
        List<String> out = new ArrayList<>();
        out.add("delivery to " + domain + " from " + (sender.isEmpty() ? "<> (a bounce)" : sender)
                + " (explained, nothing sent):");
        if (snapshot.controls().problem().isPresent()) {
            out.add("problem: the control files above keep every delivery from starting");
            return out;
        }
        Controls controls = ControlCheck.value(snapshot.controls());
        SmtpRouter.Decision decision;
        try {
            decision = SmtpRouter.decide(domain, sender, controls.smtpRoutes(), controls.authSenders(),
                    controls.qmtpRoutes(), knobs.smtpPort());
        } catch (RouteException e) {
            out.add("problem: route: " + ControlCheck.named(e.getMessage()) + ": the delivery would defer");
            return out;
        }
        Route route = decision.route();
        out.add("route: " + describe(route) + ", " + decision.chosenBy()
                .map(c -> "chosen by " + line(c.file(), c.line()) + " (key " + key(c.key()) + ")")
                .orElse("no line of authsenders, qmtproutes or smtproutes applies"));
        helo(out, controls, route, sender);
        auth(out, route);
        clientCertificate(out, sender);
        if (snapshot.tlsDestinations().problem().isPresent() || snapshot.dnssec().problem().isPresent()
                || snapshot.trustAnchors().problem().isPresent()) {
            out.add("problem: tlsdestinations, dnssec or trustanchors cannot be used (above): the delivery would defer");
            return out;
        }
        if (dev.qremote.sender.message.EnvelopeAddress.encode(sender).isEmpty()) {
            out.add("problem: the sender has bytes SMTP cannot carry (CR, LF or NUL): the message would bounce (#5.1.7)");
            return out;
        }
        DnssecMode dnssec = ControlCheck.value(snapshot.dnssec());
        out.add("dns: " + knobs.dnsServer().map(s -> s.getHostString() + ":" + s.getPort() + " (QREMOTE_DNS)")
                .orElse("the system's resolvers (/etc/resolv.conf)") + ", dnssec " + word(dnssec)
                + ", timeoutdns " + controls.dnsTimeout().toSeconds() + " s");
        Deadline deadline = Deadline.after(Clock.systemUTC(), controls.deliveryTimeout());
        DnsResolver resolver = context.resolver(controls.dnsTimeout(), dnssec,
                ControlCheck.value(snapshot.trustAnchors()).orElse(RootTrustAnchors.IANA), deadline);
        String destination = route instanceof Route.Relay relay ? relay.relay()
                : route instanceof Route.Qmtp qmtp ? qmtp.relay() : ((Route.MailExchangers) route).domain();
        Destinations found;
        try {
            DestinationLookup lookup = new DestinationLookup(resolver, new SplittableRandom());
            found = route instanceof Route.MailExchangers ? lookup.forDomain(destination) : lookup.forRelay(destination);
        } catch (DnsTemporaryException e) {
            if (dnssec == DnssecMode.VALIDATE && answersUnvalidated(route, destination, controls, deadline)) {
                out.add("problem: mx: the lookup of " + destination + " failed DNSSEC validation (the answers cannot"
                        + " be proven from " + (ControlCheck.value(snapshot.trustAnchors()).isPresent()
                        ? "control/trustanchors" : "the IANA root's trust anchors") + ", as control/dnssec validate"
                        + " requires; without validation they are there): the delivery would defer (#4.1.2); a resolver"
                        + " that strips DNSSEC records fails every answer: see control/dnssec (ad trusts the resolver's"
                        + " AD bit, off asks for no proof)");
                return out;
            }
            // a timeout or SERVFAIL: every delivery there defers until DNS answers, so it is a problem, unlike
            // NXDOMAIN, which is an answer
            out.add("problem: mx: the lookup of " + destination + " failed temporarily (" + e.getMessage()
                    + "), which is not NXDOMAIN: the delivery would defer (#4.1.2)");
            return out;
        }
        String relayLine = decision.chosenBy().map(c -> ", which " + line(c.file(), c.line()) + " names,").orElse("");
        if (!(route instanceof Route.MailExchangers) && found instanceof Destinations.NoSuchHost) {
            // NXDOMAIN for a remote domain is an answer; for a relay this host's own line names, its problem
            out.add("problem: route: the relay " + destination + relayLine + " does not exist (NXDOMAIN): every message"
                    + " routed there would bounce (#5.1.2)");
            return out;
        }
        if (!(route instanceof Route.MailExchangers) && !(found instanceof Destinations.Found)) {
            out.add("problem: route: the relay " + destination + relayLine + " has no address (a relay's MX records"
                    + " are not used): every message routed there would bounce (#5.4.4)");
            return out;
        }
        if (found instanceof Destinations.NoSuchHost missing) {
            out.add("mx: " + missing.name() + " does not exist (NXDOMAIN): the message would bounce (#5.1.2)");
            return out;
        }
        if (found instanceof Destinations.NullMx nullMx) {
            out.add("mx: " + nullMx.domain() + " has a null MX (RFC 7505): the message would bounce (#5.1.10)");
            return out;
        }
        if (!(found instanceof Destinations.Found addresses)) {
            out.add("mx: no mail exchanger has an address: the message would bounce (#5.4.4)");
            return out;
        }
        if (route instanceof Route.MailExchangers) {
            java.util.Set<java.net.InetAddress> mine;
            try {
                mine = context.localAddresses();
            } catch (java.io.IOException e) {
                mine = java.util.Set.of();
                out.add("problem: this machine's addresses cannot be listed: qmail-remote would defer (#4.3.0)");
            }
            List<Destination> better = dev.qremote.sender.delivery.OwnMx.better(addresses.destinations(), mine);
            if (better.isEmpty()) { // only when one of the best is ours
                java.util.Set<java.net.InetAddress> own = mine;
                String address = addresses.destinations().stream().map(Destination::address).filter(own::contains)
                        .findFirst().map(java.net.InetAddress::getHostAddress).orElse("");
                out.add("mx: " + address + " is this machine, and the best mail exchanger left: the message would"
                        + " bounce (#5.4.6)");
                return out;
            }
            if (better.size() < addresses.destinations().size()) {
                out.add("mx: this machine is a mail exchanger of it: those at or below its preference are skipped");
            }
        }
        out.add("addresses, in the order tried (equal preferences are shuffled for each delivery):");
        Map<String, Destination> firstOfHost = new LinkedHashMap<>();
        for (Destination d : addresses.destinations()) {
            out.add("  " + (route instanceof Route.MailExchangers ? d.preference() + " " : "") + d.host() + " " + d.address().getHostAddress()
                    + (literal(d.host()) ? " (no DNS)" : dnssec == DnssecMode.OFF ? " DNSSEC not checked (dnssec off)"
                    : d.authentic() ? " DNSSEC secure" : " DNSSEC insecure"));
            firstOfHost.putIfAbsent(d.host(), d);
        }
        if (route instanceof Route.Qmtp qmtp) {
            out.add("tls: " + (qmtp.tls() ? "QMTPS, TLS from the first byte" : "none (QMTP)"));
            return out;
        }
        TlsPlanner planner;
        try {
            planner = new TlsPlanner(ControlCheck.value(snapshot.tlsDestinations()), snapshot, resolver, dnssec,
                    destination, sender, TlsPlanner.clientCertificate(snapshot, sender), controls.tlsFallback());
        } catch (ControlFileException e) {
            out.add("problem: " + ControlCheck.named(e.getMessage()) + ": the delivery would defer");
            return out;
        }
        boolean implicitRoute = route instanceof Route.Relay relay && relay.implicitTls();
        for (Destination mx : firstOfHost.values()) {
            out.add(mx.host() + ":");
            tls(out, planner, resolver, mx, route.port(), implicitRoute, dnssec);
        }
        if (route instanceof Route.MailExchangers && IpLiteral.parse(destination).isEmpty()
                && snapshot.sts().problem().isEmpty()) {
            StsExplanation.explain(out, ControlCheck.value(snapshot.sts()), context, resolver,
                    controls.connectTimeout(), deadline, destination, List.copyOf(firstOfHost.keySet()));
        }
        return out;
    }

    private static String describe(Route route) {
        if (route instanceof Route.Relay relay) {
            return "relay " + relay.relay() + " port " + relay.port() + (relay.implicitTls() ? " (TLS from the first byte)" : "");
        }
        if (route instanceof Route.Qmtp qmtp) {
            return "QMTP to " + qmtp.relay() + " port " + qmtp.port() + (qmtp.tls() ? " (QMTPS)" : "");
        }
        Route.MailExchangers mx = (Route.MailExchangers) route;
        return "the mail exchangers of " + mx.domain() + ", port " + mx.port();
    }

    private void helo(List<String> out, Controls controls, Route route, String sender) {
        Optional<String> ipKey = DomainIps.keyFor(sender, controls.domainIps());
        Optional<DomainIps.Binding> binding = DomainIps.forSender(sender, controls.domainIps());
        String ipLine = ipKey.map(k -> line("domainips", controls.domainIps().lineOf(k)) + " (key " + key(k) + ")")
                .orElse("");
        if (binding.isPresent() && binding.get().heloHost().isPresent()) {
            out.add("helo: " + binding.get().heloHost().get() + ", from " + ipLine);
        } else {
            boolean helohost;
            try {
                helohost = new ControlDirectory(snapshot.qmailHome()).line("helohost").isPresent();
            } catch (ControlFileException e) {
                helohost = false;
            }
            out.add("helo: " + controls.heloHost() + ", from control/" + (helohost ? "helohost" : "me"));
        }
        if (route instanceof Route.Relay relay && relay.localAddress().isPresent()) {
            out.add("local address: " + relay.localAddress().get() + ", from the route's line");
        } else if (binding.isPresent()) {
            out.add("local address: " + binding.get().localAddress() + ", from " + ipLine);
        } else {
            out.add("local address: none bound (the system chooses)");
        }
    }

    /** Which mechanisms, in which order, and whether credentials may go without TLS. Never the secret. */
    private void auth(List<String> out, Route route) {
        if (route.credentials().isEmpty()) {
            out.add("auth: none (the route has no credentials)");
            return;
        }
        Credentials credentials = route.credentials().get();
        boolean bearer = credentials.secret().startsWith("oauth2:");
        out.add("auth: as " + credentials.user() + " with the first the server offers of "
                + String.join(", ", AuthMechanisms.preference(bearer))
                + (bearer ? " (token from " + credentials.secret().substring(7) + ")" : " (password not shown)"));
        String relay = route instanceof Route.Relay r ? r.relay() : "";
        boolean clear = false;
        for (String line : snapshot.authPlaintext().problem().isPresent() ? List.<String>of()
                : ControlCheck.value(snapshot.authPlaintext())) {
            clear |= line.equals("*") || line.equalsIgnoreCase(relay);
        }
        out.add("auth: credentials go " + (clear ? "even without TLS (control/authplaintext)"
                : "only over TLS or to this machine"));
    }

    /** Whether the lookup that failed under validation answers when nothing is validated (the check's second look). */
    private boolean answersUnvalidated(Route route, String destination, Controls controls, Deadline deadline) {
        DnsResolver plain = context.resolver(controls.dnsTimeout(), DnssecMode.OFF, RootTrustAnchors.IANA, deadline);
        DestinationLookup lookup = new DestinationLookup(plain, new SplittableRandom());
        try {
            if (route instanceof Route.MailExchangers) {
                lookup.forDomain(destination);
            } else {
                lookup.forRelay(destination);
            }
            return true;
        } catch (DnsTemporaryException e) {
            return false;
        }
    }

    /** The certificate a delivery from {@code sender} presents when the server asks: domaincerts, else clientcert.pem. */
    private void clientCertificate(List<String> out, String sender) {
        java.util.Optional<dev.qremote.sender.tls.ClientCertificateFiles> files;
        try {
            files = TlsPlanner.clientCertificate(snapshot, sender);
        } catch (ControlFileException e) {
            out.add("client certificate: unknown (control/domaincerts cannot be used, above)");
            return;
        }
        String domain = sender.lastIndexOf('@') < 0 ? "" : sender.substring(sender.lastIndexOf('@') + 1);
        if (files.isEmpty()) {
            out.add("client certificate: none (no control/domaincerts line for " + (domain.isEmpty() ? "an empty domain"
                    : domain) + " or *, no control/clientcert.pem)");
            return;
        }
        dev.qremote.sender.tls.ClientCertificateFiles f = files.get();
        if (f.certificate().equals("control/clientcert.pem") && f.key().isEmpty()) {
            boolean fromLine = false;
            try {
                fromLine = ControlCheck.value(snapshot.domainCerts()).get(domain).or(
                        () -> ControlCheck.value(snapshot.domainCerts()).get("*")).isPresent();
            } catch (RuntimeException e) {
                fromLine = false;
            }
            if (!fromLine) {
                out.add("client certificate: control/clientcert.pem (certificate and key), presented when the server asks");
                return;
            }
        }
        String where = "";
        try {
            dev.qremote.sender.control.KeyedTable numbered = dev.qremote.sender.control.KeyedTable.parseNumbered(
                    new ControlDirectory(snapshot.qmailHome()).numberedLines("domaincerts"));
            String key = numbered.get(domain).isPresent() ? domain : "*";
            where = ", from " + line("domaincerts", numbered.lineOf(key)) + " (key " + key(key) + ")";
        } catch (ControlFileException e) {
            where = ", from control/domaincerts";
        }
        out.add("client certificate: " + f.certificate() + f.key().map(k -> ", key " + k).orElse("") + where
                + ", presented when the server asks");
    }

    private void tls(List<String> out, TlsPlanner planner, DnsResolver resolver, Destination mx, int routePort,
            boolean implicitRoute, DnssecMode dnssec) {
        TlsPlan plan;
        try {
            plan = planner.plan(mx, routePort);
        } catch (DnsTemporaryException e) {
            out.add("problem: dane: the TLSA lookup at _" + routePort + "._tcp." + mx.host() + " failed temporarily ("
                    + e.getMessage() + "): this MX would be skipped (never tried without DANE)");
            return;
        }
        if (implicitRoute) {
            plan = plan.implicitTls();
        }
        TlsPolicy policy = plan.policy();
        out.add("  tls policy: " + policy.describe() + ", decided by " + rule(policy.matchedRule()));
        if (!policy.ciphers().isEmpty() && !plan.never()) {
            out.add("  tls ciphers: " + String.join(":", policy.ciphers()) + " (" + cipherSource(policy) + ")");
        }
        String how = plan.never() ? "no TLS"
                : plan.implicit() ? "TLS from the first byte on port " + plan.servicePort()
                : plan.mandatory() ? "STARTTLS required"
                : "STARTTLS when offered; after a TLS failure "
                        + (plan.plaintextRetry() ? "plaintext on a new connection" : "the next address");
        out.add("  tls: " + how);
        if (!plan.never()) {
            try {
                // what a delivery builds before its handshake: a CA file, cipher list or fingerprint that
                // cannot be used defers it
                plan.client(context.tlsContexts(), java.util.Optional.empty());
            } catch (dev.qremote.sender.tls.TlsConfigException e) {
                out.add("problem: the TLS policy for " + mx.host() + " cannot be used (" + why(policy, e)
                        + "): qmail-remote would defer (#4.3.0)");
            }
        }
        String tlsa = "_" + plan.servicePort() + "._tcp." + mx.host();
        if (!policy.daneAllowed()) {
            out.add("  dane: not used (the TLS policy excludes it)");
        } else if (dnssec == DnssecMode.OFF) {
            out.add("  dane: not used (control/dnssec is off)");
        } else if (literal(mx.host())) {
            out.add("  dane: not used (an address literal)");
        } else if (!mx.authentic()) {
            out.add("  dane: not used (the MX or address lookup was not DNSSEC-secure; no TLSA asked)");
        } else if (plan.daneRequired()) {
            out.add("  dane: TLSA at " + tlsa + " secure, " + plan.tlsa().size() + " usable record(s)"
                    + (plan.tlsa().isEmpty() ? " (TLS required, certificate not checked)"
                    : ": TLS required, the certificate must match"));
        } else {
            String state;
            try {
                DnsAnswer<Tlsa> answer = resolver.tlsa(tlsa);
                state = answer instanceof DnsAnswer.Found<Tlsa> ? "found but not DNSSEC-secure, not used"
                        : "none (" + (answer.authentic() ? "securely denied" : "not secure") + ")";
            } catch (DnsTemporaryException e) {
                state = "lookup failed";
            }
            out.add("  dane: TLSA at " + tlsa + ": " + state);
        }
    }

    /** The line that decided an unusable policy, and for a CA location why it cannot be loaded. */
    private String why(TlsPolicy policy, dev.qremote.sender.tls.TlsConfigException e) {
        if (e.kind() != dev.qremote.sender.tls.TlsConfigException.Kind.CA || policy.caLocation().isEmpty()) {
            return e.getMessage();
        }
        String location = policy.caLocation().get();
        String shown = policy.matchedRule().startsWith("tlshosts/") ? " file"
                : (location.endsWith("/") ? " directory " : " file ") + location;
        return "control/" + policy.matchedRule() + ": the CA" + shown + " cannot be loaded: "
                + dev.qremote.sender.tls.CaLocation.problem(location).orElse("it cannot be used");
    }

    /** Where a policy's cipher list comes from: its tlsdestinations line, or control/tlsclientciphers. */
    private String cipherSource(TlsPolicy policy) {
        if (policy.matchedRule().startsWith("tlsdestinations line ")) {
            for (TlsPolicy own : ControlCheck.value(snapshot.tlsDestinations()).policies()) {
                if (own.matchedRule().equals(policy.matchedRule()) && own.ciphers().equals(policy.ciphers())) {
                    return "control/" + policy.matchedRule();
                }
            }
        }
        return "control/tlsclientciphers";
    }

    /** What decided a policy, with the tlsdestinations line's text. */
    private String rule(String matched) {
        if (matched.equals("default")) {
            return "the default (no tlsdestinations line, tlshosts or notlshosts file names this MX)";
        }
        if (matched.startsWith("tlsdestinations line ")) {
            int number = Integer.parseInt(matched.substring("tlsdestinations line ".length()));
            try {
                for (ControlLine l : new ControlDirectory(snapshot.qmailHome()).numberedLines("tlsdestinations")) {
                    if (l.number() == number) {
                        return "control/" + matched + ": " + l.text();
                    }
                }
            } catch (ControlFileException e) {
                // the line's number is still worth saying
            }
        }
        return "control/" + matched;
    }

    /** A bracketed or dotted address, which no DNS question was asked for. */
    private static boolean literal(String host) {
        return host.startsWith("[") || IpLiteral.parse(host).isPresent() || IpLiteral.dottedQuad(host).isPresent();
    }

    private static String line(String file, int number) {
        return "control/" + file + (number > 0 ? " line " + number : "");
    }

    private static String key(String key) {
        return key.isEmpty() ? "empty" : "\"" + key + "\"";
    }

    private static String word(DnssecMode mode) {
        return switch (mode) {
            case VALIDATE -> "validate";
            case TRUST_AD -> "ad";
            case OFF -> "off";
        };
    }
}
