package dev.qremote.sender.delivery;

import dev.qremote.sender.attemptlog.AppendLog;
import dev.qremote.sender.dns.ALabels;
import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tlsrpt.SessionOutcome;
import dev.qremote.sender.tlsrpt.Spool;
import dev.qremote.sender.tlsrpt.TlsRptPolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Each session's TLS outcome for TLS reporting (RFC 8460), appended to control/tlsrptspool: a session over a
 * new connection to a domain's MX (not a route's relay, which is no MX of the domain; not a kept session,
 * which negotiated nothing) that negotiated TLS (success) or failed to where TLS was tried or required.
 * The policy is "tlsa" when DANE applied (the TLSA records), else "no-policy-found"; MTA-STS ("sts") comes
 * with its outcome. Sessions that never tried TLS (control/tlsdestinations "!", no STARTTLS offered to
 * opportunistic TLS) and failures of our own (a client certificate, the CA file) are not reported.
 */
final class TlsReporting {
    private TlsReporting() {
    }

    /**
     * The result type of RFC 8460 4.3 for a session that ended with {@code tls} (null: no TLS) and
     * {@code failure} (TlsSetup's word; null: none); empty when the session is not reported.
     */
    static Optional<String> result(TlsClient tls, String failure) {
        if (tls != null) {
            return Optional.of(SessionOutcome.SUCCESS);
        }
        if (failure == null) {
            return Optional.empty();
        }
        return switch (failure) {
            case "starttls" -> Optional.of("starttls-not-supported");
            case "untrusted" -> Optional.of("certificate-not-trusted");
            case "name-mismatch" -> Optional.of("certificate-host-mismatch");
            case "dane-mismatch" -> Optional.of("tlsa-invalid");
            case "handshake", "protocol", "pin-mismatch" -> Optional.of("validation-failure");
            default -> Optional.empty(); // client-certificate, configuration: this side's trouble
        };
    }

    /** The policy of {@code plan} for the domain mail went to. */
    static TlsRptPolicy policy(TlsPlan plan, String domain) {
        String ascii = ALabels.of(domain).orElse(domain).toLowerCase(java.util.Locale.ROOT);
        if (plan.daneRequired()) {
            return TlsRptPolicy.tlsa(ascii, plan.tlsa().stream().map(Tlsa::toString).toList());
        }
        return TlsRptPolicy.none(ascii);
    }

    /** Appends the session's line when it is reported; never fails the delivery. */
    static void record(AppendLog log, Path spool, Instant start, TlsPlan plan, String domain, InetAddress local,
            InetAddress peer, TlsClient tls, String failure) {
        Optional<String> result = result(tls, failure);
        if (result.isEmpty()) {
            return;
        }
        try {
            Spool.append(log, spool, new SessionOutcome(start, policy(plan, domain), result.get(),
                    local == null ? "" : local.getHostAddress(), plan.mxHost(), peer.getHostAddress()));
        } catch (RuntimeException e) {
            // reporting never changes a delivery
        }
    }
}
