package dev.qremote.sender.dns;

/** How answers become "authentic" (DNSSEC-secure), which DANE depends on. */
public enum DnssecMode {
    /** Validate in this process with dnsjava's ValidatingResolver, from the configured trust anchors. */
    VALIDATE,
    /** Believe the AD bit of the resolver asked (which must be a validating resolver the host trusts). */
    TRUST_AD,
    /** Nothing is authentic: DANE never applies. */
    OFF
}
