package dev.qremote.sender.attemptlog;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One JSON object (RFC 8259) on one line, built field by field. The output is ASCII: quotes, backslashes,
 * control characters, DEL and everything outside ASCII go as escapes, so a line never breaks, whatever text
 * a field holds. Not thread-safe; one line per instance.
 */
public final class JsonLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder out = new StringBuilder(512).append('{');
    private boolean first = true;

    private StringBuilder key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, name);
        return out.append(':');
    }

    /** A string field; null writes JSON null. */
    public JsonLine field(String name, String value) {
        StringBuilder b = key(name);
        if (value == null) {
            b.append("null");
        } else {
            string(b, value);
        }
        return this;
    }

    public JsonLine field(String name, long value) {
        key(name).append(value);
        return this;
    }

    public JsonLine field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    /** An array of strings. */
    public JsonLine strings(String name, List<String> values) {
        StringBuilder b = key(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, values.get(i));
        }
        b.append(']');
        return this;
    }

    /**
     * An object of string fields, {@code namesAndValues} alternating name and value (a null value writes JSON
     * null); a null array writes JSON null for the whole field.
     */
    public JsonLine object(String name, String... namesAndValues) {
        StringBuilder b = key(name);
        if (namesAndValues == null) {
            b.append("null");
            return this;
        }
        b.append('{');
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            string(b, namesAndValues[i]);
            b.append(':');
            if (namesAndValues[i + 1] == null) {
                b.append("null");
            } else {
                string(b, namesAndValues[i + 1]);
            }
        }
        b.append('}');
        return this;
    }

    /** An array of {"NAME1": text, "NAME2": number} objects, one per index of the two lists. */
    public JsonLine pairs(String name, String textName, List<String> texts, String numberName, int[] numbers) {
        StringBuilder b = key(name).append('[');
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('{');
            string(b, textName);
            b.append(':');
            string(b, texts.get(i));
            b.append(',');
            string(b, numberName);
            b.append(':').append(numbers[i]).append('}');
        }
        b.append(']');
        return this;
    }

    /** The finished line: the object and a line feed, as ASCII bytes. */
    public byte[] bytes() {
        return (out + "}\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return out + "}";
    }

    /**
     * A string of bytes as the program carries them (arguments and reports: one char per byte) is read as
     * UTF-8, invalid sequences becoming U+FFFD; any other string is taken as it is.
     */
    private static void string(StringBuilder b, String text) {
        String s = text;
        if (s.chars().anyMatch(c -> c >= 0x80) && s.chars().allMatch(c -> c <= 0xff)) {
            s = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
        quote(b, s);
    }

    /**
     * {@code s} as a JSON string (RFC 8259 7) in ASCII: quote and backslash escaped, control characters, DEL
     * and non-ASCII as \\u escapes (UTF-16 units, surrogates each escaped).
     */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                        .append(HEX[c & 15]);
            }
        }
        b.append('"');
    }
}
