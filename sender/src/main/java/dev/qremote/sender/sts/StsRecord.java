package dev.qremote.sender.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TXT record at {@code _mta-sts.DOMAIN} (RFC 8461 3.1): records not starting with "v=STSv1;" are
 * discarded; exactly one must be left, and it must be valid, or the domain has no policy available.
 */
public final class StsRecord {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    private StsRecord() {
    }

    /** The policy id of the one valid record among {@code texts}; empty when there is none, or more than one. */
    public static Optional<String> id(List<String> texts) {
        List<String> candidates = new ArrayList<>();
        for (String text : texts) {
            if (text.startsWith("v=STSv1;") || text.equals("v=STSv1")) {
                candidates.add(text);
            }
        }
        return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
    }

    /** sts-text-record: the version, then fields separated by ';' with optional spaces and tabs. */
    static Optional<String> parse(String text) {
        String[] fields = text.split("[ \\t]*;[ \\t]*", -1);
        if (!fields[0].equals("v=STSv1")) {
            return Optional.empty();
        }
        String id = null;
        int last = fields.length - 1;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i];
            if (field.isEmpty() && i == last) {
                break; // a trailing delimiter
            }
            int eq = field.indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals("id")) {
                if (id != null || !ID.matcher(value).matches()) {
                    return Optional.empty();
                }
                id = value;
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(id);
    }
}
