package dev.qremote.sender.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed MTA-STS policy (RFC 8461 3.2): its mode, the MX patterns, max_age in seconds, and the text it
 * was parsed from (kept for the cache and for TLS reports' policy-string).
 */
public record StsPolicy(StsMode mode, List<String> mx, long maxAge, String text) {
    /** RFC 8461 3.2: max_age is at most 31557600 seconds (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern VALUE = Pattern.compile("[\\x21-\\x7e]([ \\t]*[\\x21-\\x7e])*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    public StsPolicy {
        mx = List.copyOf(mx);
    }

    /**
     * Parses a policy body: LF or CRLF separated "key: value" lines; version STSv1, a mode, max_age (1 to 10
     * digits, at most {@link #MAX_AGE_LIMIT}) and, unless the mode is none, at least one mx pattern
     * ("*." and a domain, or a domain). The first of a repeated key counts (mx may repeat); unknown keys
     * are passed over when well-formed.
     *
     * @throws StsPolicyException when any line or field breaks the grammar, or a required field is missing
     */
    public static StsPolicy parse(String text) throws StsPolicyException {
        String body = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        int number = 0;
        for (String raw : body.split("\n", -1)) {
            number++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            line = stripTrailing(line);
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new StsPolicyException("line " + number + " is not key: value");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).replaceFirst("^[ \\t]+", "");
            if (!KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
                throw new StsPolicyException("line " + number + " is not key: value");
            }
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> mx.add(pattern(value, number));
                default -> {
                    // an extension (RFC 8461 3.2: ignored)
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new StsPolicyException("version is not STSv1");
        }
        StsMode parsedMode = switch (mode == null ? "" : mode) {
            case "enforce" -> StsMode.ENFORCE;
            case "testing" -> StsMode.TESTING;
            case "none" -> StsMode.NONE;
            default -> throw new StsPolicyException("mode is not enforce, testing or none");
        };
        if (maxAge == null || !DIGITS.matcher(maxAge).matches() || Long.parseLong(maxAge) > MAX_AGE_LIMIT) {
            throw new StsPolicyException("max_age is not a number of seconds up to " + MAX_AGE_LIMIT);
        }
        if (mx.isEmpty() && parsedMode != StsMode.NONE) {
            throw new StsPolicyException("no mx pattern");
        }
        return new StsPolicy(parsedMode, mx, Long.parseLong(maxAge), text);
    }

    private static String pattern(String value, int number) throws StsPolicyException {
        String domain = value.startsWith("*.") ? value.substring(2) : value;
        if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
            throw new StsPolicyException("line " + number + ": mx is not a domain or *.domain");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    /**
     * Whether {@code host} matches an mx pattern (RFC 8461 4.1): equal, ignoring case and a final dot, or for
     * "*.example.com" one more label, never several, never the bare domain.
     */
    public boolean allows(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            } else if (h.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** The policy's lines as TLS reports give them (RFC 8460 4.4 policy-string). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }
}
