package dev.qremote.fakemx;

import java.util.Locale;

/**
 * What a fake server announces with the LIMITS keyword (RFC 9422 3) and enforces: MAILMAX transactions per
 * session, RCPTMAX recipients per transaction, RCPTDOMAINMAX distinct recipient domains per transaction (0:
 * no limit). {@code text} is announced as given; a value that is not a number enforces nothing.
 */
public record Limits(String text, int mailMax, int rcptMax, int rcptDomainMax) {
    public static final Limits NONE = new Limits("", 0, 0, 0);

    static Limits parse(String spec) {
        int mail = 0;
        int rcpt = 0;
        int domains = 0;
        for (String pair : spec.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = pair.substring(0, eq).toUpperCase(Locale.ROOT);
            int value;
            try {
                value = Integer.parseInt(pair.substring(eq + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "MAILMAX" -> mail = value;
                case "RCPTMAX" -> rcpt = value;
                case "RCPTDOMAINMAX" -> domains = value;
                default -> {
                    // announced, not enforced
                }
            }
        }
        return new Limits(spec.trim(), mail, rcpt, domains);
    }

    boolean announced() {
        return !text.isEmpty();
    }
}
