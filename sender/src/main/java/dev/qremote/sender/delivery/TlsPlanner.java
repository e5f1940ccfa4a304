package dev.qremote.sender.delivery;

import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.dns.IpLiteral;
import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.tls.TlsMode;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.tls.Verification;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides the TLS plan for each MX: tlsdestinations first; for a host it names nothing for, the TLS
 * patches' control/tlshosts/MX.pem (TLS required, verified against that CA, name checked) and
 * control/notlshosts/MX (no TLS); then DANE (RFC 7672): when the MX and address lookups were DNSSEC-secure,
 * a secure TLSA set at _port._tcp.MX makes TLS mandatory and, if it has usable records, decides the
 * certificate. A TLSA lookup that fails is a reason to defer, never to go without.
 */
final class TlsPlanner {
    private final TlsDestinations tlsDestinations;
    private final ControlDirectory control;
    private final DnsResolver resolver;
    private final DnssecMode dnssec;
    private final String destination;
    private final String sender;

    TlsPlanner(TlsDestinations tlsDestinations, ControlDirectory control, DnsResolver resolver, DnssecMode dnssec,
            String destination, String sender) {
        this.tlsDestinations = tlsDestinations;
        this.control = control;
        this.resolver = resolver;
        this.dnssec = dnssec;
        this.destination = destination;
        this.sender = sender;
    }

    /** The domain mail goes to (or the relay a route names), as reports call it. */
    String destination() {
        return destination;
    }

    TlsPlan plan(Destination mx, int routePort) throws DnsTemporaryException {
        TlsPolicy policy = tlsDestinations.policyFor(destination, mx.host(), sender);
        if (policy.matchedRule().equals("default")) {
            policy = tlsHostsPolicy(mx.host()).orElse(policy);
        }
        int port = policy.port().orElse(routePort);
        boolean implicit = policy.implicitTls() || port == 465;
        boolean daneRequired = false;
        List<Tlsa> usable = List.of();
        if (policy.daneAllowed() && dnssec != DnssecMode.OFF && mx.authentic() && IpLiteral.parse(mx.host()).isEmpty()) {
            DnsAnswer<Tlsa> answer = resolver.tlsa("_" + port + "._tcp." + mx.host());
            if (answer instanceof DnsAnswer.Found<Tlsa> found && found.authentic()) {
                daneRequired = true;
                usable = found.records().stream().filter(Tlsa::usableForSmtp).toList();
            }
        }
        return new TlsPlan(policy, daneRequired, usable, implicit, port, mx.host(), destination);
    }

    private Optional<TlsPolicy> tlsHostsPolicy(String mxHost) {
        java.nio.file.Path dir = control.path("tlshosts");
        java.nio.file.Path pem = dir.resolve(mxHost + ".pem");
        if (safeName(mxHost) && Files.isRegularFile(pem)) {
            return Optional.of(new TlsPolicy(TlsMode.MANDATORY, Verification.CA_AND_NAME_WILDCARD,
                    Optional.of(pem.toString()), Optional.empty(), List.of(), OptionalInt.empty(), OptionalInt.empty(),
                    false, true, "tlshosts/" + mxHost + ".pem"));
        }
        if (safeName(mxHost) && Files.exists(control.path("notlshosts").resolve(mxHost))) {
            return Optional.of(new TlsPolicy(TlsMode.NEVER, Verification.NONE, Optional.empty(), Optional.empty(),
                    List.of(), OptionalInt.empty(), OptionalInt.empty(), false, false, "notlshosts/" + mxHost));
        }
        return Optional.empty();
    }

    /** A name from DNS becomes a file name only when it cannot climb out of the directory. */
    private static boolean safeName(String host) {
        return !host.isEmpty() && !host.contains("/") && !host.startsWith(".") && host.chars().allMatch(c -> c > 32 && c < 127);
    }
}
