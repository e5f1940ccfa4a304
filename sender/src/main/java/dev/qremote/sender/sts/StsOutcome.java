package dev.qremote.sender.sts;

import java.util.List;
import java.util.Optional;

/**
 * What MTA-STS meant for one delivery, kept for TLS reporting (RFC 8460 4.3, 4.4): the policy domain, the
 * policy type ("sts", or "no-policy-found"), the policy's lines and mx patterns and mode, the result type
 * ("success", or one of RFC 8460 4.3's failure types: sts-policy-fetch-error, sts-policy-invalid,
 * sts-webpki-invalid, validation-failure, certificate-host-mismatch, certificate-not-trusted,
 * starttls-not-supported), the MX host the result concerns (may be empty) and a short reason (our words,
 * never remote bytes).
 */
public record StsOutcome(String domain, String policyType, List<String> policyString, List<String> mxPatterns,
        Optional<StsMode> mode, String resultType, String receivingMx, String reason) {

    public StsOutcome {
        policyString = List.copyOf(policyString);
        mxPatterns = List.copyOf(mxPatterns);
    }

    /** A domain that publishes no (usable) MTA-STS record and has no cached policy. */
    public static StsOutcome noPolicy(String domain) {
        return new StsOutcome(domain, "no-policy-found", List.of(), List.of(), Optional.empty(), "success", "", "");
    }

    /** A record was published but no policy could be had: {@code resultType} says why. */
    public static StsOutcome fetchFailed(String domain, String resultType, String reason) {
        return new StsOutcome(domain, "sts", List.of(), List.of(), Optional.empty(), resultType, "", reason);
    }

    /** The policy applied; the result is "success" until the delivery says otherwise. */
    public static StsOutcome applied(String domain, StsPolicy policy) {
        return new StsOutcome(domain, "sts", policy.lines(), policy.mx(), Optional.of(policy.mode()), "success", "", "");
    }

    /** The same policy with the result of delivering to {@code mx}. */
    public StsOutcome withResult(String type, String mx, String why) {
        return new StsOutcome(domain, policyType, policyString, mxPatterns, mode, type, mx, why);
    }
}
