package dev.qremote.sender.delivery;

import dev.qremote.sender.attemptlog.AppendLog;
import dev.qremote.sender.dns.ALabels;
import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.sts.StsOutcome;
import dev.qremote.sender.tls.TlsClient;
import dev.qremote.sender.tlsrpt.SessionOutcome;
import dev.qremote.sender.tlsrpt.Spool;
import dev.qremote.sender.tlsrpt.TlsRptPolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each session's TLS outcome for TLS reporting (RFC 8460), appended to control/tlsrptspool: a session over a
 * new connection to a domain's MX (not a route's relay, which is no MX of the domain; not a kept session,
 * which negotiated nothing) that negotiated TLS (success) or failed to where TLS was tried or required.
 * The policy is "tlsa" when DANE applied (the TLSA records), "sts" when an MTA-STS policy in enforce or
 * testing mode did (its lines and mx patterns), else "no-policy-found". Under MTA-STS two lines are
 * written without a session (RFC 8460 4.3): an MX enforce does not list (never contacted), and a policy that
 * could not be had (once per delivery, no MX). Sessions that never tried TLS (control/tlsdestinations "!", no STARTTLS offered to
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

    /**
     * The result type of a session under {@code plan}: as {@link #result(TlsClient, String)}, except under an
     * MTA-STS policy in testing mode, where the session counts as enforce would have judged it (RFC 8460 4.3):
     * an unlisted MX is a validation-failure, a certificate the audit refused ({@code audit}, RFC 8460 4.3's
     * name) that failure, and a session that said EHLO ({@code ehloAnswered}) yet never tried TLS
     * starttls-not-supported.
     */
    static Optional<String> result(TlsPlan plan, TlsClient tls, String failure, String audit, boolean ehloAnswered) {
        if (plan.enforcement() == Enforcement.STS_TESTING && !plan.never()) {
            if (!plan.mxListed() && (tls != null || failure == null && ehloAnswered)) {
                return Optional.of("validation-failure");
            }
            if (tls != null && audit != null && !audit.isEmpty()) {
                return Optional.of(audit);
            }
            if (tls == null && failure == null && ehloAnswered) {
                return Optional.of("starttls-not-supported");
            }
        }
        return result(tls, failure);
    }

    /** Whether {@code plan} held the session to the MTA-STS policy of {@code sts} (DANE wins where it applies). */
    static boolean underSts(TlsPlan plan, Optional<StsOutcome> sts) {
        return !plan.daneRequired() && sts.isPresent() && sts.get().mode().isPresent()
                && (plan.enforcement() == Enforcement.STS_ENFORCE || plan.enforcement() == Enforcement.STS_TESTING);
    }

    /** The policy of {@code plan} for the domain mail went to; {@code sts}: the delivery's MTA-STS outcome. */
    static TlsRptPolicy policy(TlsPlan plan, String domain, Optional<StsOutcome> sts) {
        String ascii = ascii(domain);
        if (plan.daneRequired()) {
            return TlsRptPolicy.tlsa(ascii, plan.tlsa().stream().map(Tlsa::toString).toList());
        }
        if (underSts(plan, sts)) {
            return TlsRptPolicy.sts(ascii, sts.get().policyString(), sts.get().mxPatterns());
        }
        return TlsRptPolicy.none(ascii);
    }

    static TlsRptPolicy policy(TlsPlan plan, String domain) {
        return policy(plan, domain, Optional.empty());
    }

    private static String ascii(String domain) {
        return ALabels.of(domain).orElse(domain).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An MX the enforce policy of {@code sts} does not list, never contacted: a validation-failure with its
     * name and address (RFC 8460 4.3.2.1), no sending address ({@code local} when the delivery binds one).
     */
    static void unlisted(AppendLog log, Path spool, Instant time, String domain, StsOutcome sts,
            Optional<InetAddress> local, String mx, InetAddress address) {
        append(log, spool, new SessionOutcome(time, TlsRptPolicy.sts(ascii(domain), sts.policyString(),
                sts.mxPatterns()), "validation-failure", local.map(InetAddress::getHostAddress).orElse(""), mx,
                address.getHostAddress()));
    }

    /**
     * A published MTA-STS policy that could not be had (sts-policy-fetch-error, sts-policy-invalid,
     * sts-webpki-invalid: RFC 8460 4.3.1): one line per delivery, policy "sts" without its lines, no MX.
     */
    static void unavailable(AppendLog log, Path spool, Instant time, String domain, StsOutcome sts) {
        append(log, spool, new SessionOutcome(time, TlsRptPolicy.sts(ascii(domain), List.of(), List.of()),
                sts.resultType(), "", "", ""));
    }

    private static void append(AppendLog log, Path spool, SessionOutcome outcome) {
        try {
            Spool.append(log, spool, outcome);
        } catch (RuntimeException e) {
            // reporting never changes a delivery
        }
    }

    /** Appends the session's line when it is reported; never fails the delivery. */
    static void record(AppendLog log, Path spool, Instant start, TlsPlan plan, String domain, InetAddress local,
            InetAddress peer, TlsClient tls, String failure) {
        record(log, spool, start, plan, domain, Optional.empty(), local, peer, tls, failure, false);
    }

    /**
     * Appends the session's line when it is reported, under the delivery's MTA-STS outcome {@code sts};
     * {@code ehloAnswered}: the server answered EHLO (a testing-mode session without TLS is then a failure).
     */
    static void record(AppendLog log, Path spool, Instant start, TlsPlan plan, String domain,
            Optional<StsOutcome> sts, InetAddress local, InetAddress peer, TlsClient tls, String failure,
            boolean ehloAnswered) {
        boolean underSts = underSts(plan, sts);
        Optional<String> result = underSts
                ? result(plan, tls, failure, tls == null ? "" : tls.verifier().audit(), ehloAnswered)
                : result(tls, failure);
        if (result.isEmpty()) {
            return;
        }
        append(log, spool, new SessionOutcome(start, policy(plan, domain, sts), result.get(),
                local == null ? "" : local.getHostAddress(), plan.mxHost(), peer.getHostAddress()));
    }
}
