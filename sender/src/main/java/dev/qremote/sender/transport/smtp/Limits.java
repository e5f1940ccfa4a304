package dev.qremote.sender.transport.smtp;

import java.util.Locale;

/**
 * The limits a server announced with the LIMITS keyword (RFC 9422 3): MAILMAX, transactions per session
 * (4.1); RCPTMAX, recipients per transaction (4.2); RCPTDOMAINMAX, distinct recipient domains per
 * transaction (4.3). 0 means none announced. Unknown names are ignored, and so is a value that is not a
 * positive decimal number within int range (RFC 9422 3: a client ignores what it cannot use); a name given
 * twice counts with its smaller value, so that neither is exceeded.
 */
public record Limits(int mailMax, int rcptMax, int rcptDomainMax) {
    public static final Limits NONE = new Limits(0, 0, 0);

    /** The parameters after "LIMITS" in an EHLO line, e.g. "MAILMAX=10 RCPTMAX=100 RCPTDOMAINMAX=5". */
    public static Limits parse(String parameters) {
        int mail = 0;
        int rcpt = 0;
        int domains = 0;
        for (String limit : parameters.trim().split("[ \t]+")) {
            int eq = limit.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            int value = positive(limit.substring(eq + 1));
            if (value == 0) {
                continue;
            }
            switch (limit.substring(0, eq).toUpperCase(Locale.ROOT)) {
                case "MAILMAX" -> mail = smaller(mail, value);
                case "RCPTMAX" -> rcpt = smaller(rcpt, value);
                case "RCPTDOMAINMAX" -> domains = smaller(domains, value);
                default -> {
                    // a limit this client does not know (RFC 9422 3)
                }
            }
        }
        return new Limits(mail, rcpt, domains);
    }

    private static int smaller(int known, int value) {
        return known == 0 ? value : Math.min(known, value);
    }

    /** The value as a positive int; 0 when it is not 1*DIGIT, is 0, or exceeds int range. */
    private static int positive(String digits) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        long value = Long.parseLong(digits);
        return value > Integer.MAX_VALUE ? 0 : (int) value;
    }

    public boolean any() {
        return mailMax > 0 || rcptMax > 0 || rcptDomainMax > 0;
    }
}
