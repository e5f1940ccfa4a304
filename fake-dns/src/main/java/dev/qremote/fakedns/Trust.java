package dev.qremote.fakedns;

/** How a zone of a {@link SignedHierarchy} stands for a validating resolver. */
public enum Trust {
    /** Signed, with a DS record in its parent: answers validate ("secure", AD). */
    SECURE,
    /** Unsigned, delegated without DS, the absence of DS proven by the signed parent ("insecure"). */
    INSECURE,
    /** Signed and delegated with DS, but every signature over its data is corrupted ("bogus"). */
    BAD_SIGNATURE,
    /** Signed and delegated with DS, but the signatures expired yesterday ("bogus"). */
    EXPIRED_SIGNATURE,
    /** Delegated with DS, signatures present, but the zone serves no DNSKEY ("bogus"). */
    MISSING_DNSKEY
}
