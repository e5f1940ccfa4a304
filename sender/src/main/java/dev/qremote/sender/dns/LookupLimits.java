package dev.qremote.sender.dns;

/**
 * What one lookup of mail exchangers takes from DNS at most, so that a hostile or broken zone costs a
 * bounded number of questions, objects and connection attempts. The reasons for the numbers are in the
 * README (section "What it does", DNS limits).
 *
 * @param exchangers MX hosts whose addresses are looked up: the best by preference, ties shuffled first
 * @param addressesPerHost addresses taken from one MX host (IPv4 first, then IPv6)
 * @param addresses addresses in all, across MX hosts
 */
public record LookupLimits(int exchangers, int addressesPerHost, int addresses) {
    /** Ten MX hosts, eight addresses each, twenty in all. */
    public static final LookupLimits DEFAULT = new LookupLimits(10, 8, 20);

    public LookupLimits {
        if (exchangers < 1 || addressesPerHost < 1 || addresses < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
