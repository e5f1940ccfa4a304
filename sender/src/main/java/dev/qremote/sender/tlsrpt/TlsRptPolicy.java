package dev.qremote.sender.tlsrpt;

import java.util.List;

/**
 * The policy a session was held to, as a TLS report names it (RFC 8460 4.4 "policy"): its type ("tlsa",
 * "sts" or "no-policy-found"), the policy domain (A-labels), the policy string (the TLSA records in
 * presentation form, or the MTA-STS policy's lines) and, for MTA-STS, the policy's mx patterns. Two sessions
 * under equal policies are counted together.
 */
public record TlsRptPolicy(String type, String domain, List<String> policyString, List<String> mxHost) {
    public static final String TLSA = "tlsa";
    public static final String STS = "sts";
    public static final String NONE = "no-policy-found";

    public TlsRptPolicy {
        policyString = List.copyOf(policyString);
        mxHost = List.copyOf(mxHost);
    }

    /** DANE (RFC 7672) applied: the TLSA records, each "usage selector matching-type hex". */
    public static TlsRptPolicy tlsa(String domain, List<String> records) {
        return new TlsRptPolicy(TLSA, domain, records, List.of());
    }

    /** An MTA-STS policy (RFC 8461): its lines as fetched, and its mx patterns. */
    public static TlsRptPolicy sts(String domain, List<String> policyLines, List<String> mxPatterns) {
        return new TlsRptPolicy(STS, domain, policyLines, mxPatterns);
    }

    /** Neither DANE nor MTA-STS: opportunistic TLS. */
    public static TlsRptPolicy none(String domain) {
        return new TlsRptPolicy(NONE, domain, List.of(), List.of());
    }
}
