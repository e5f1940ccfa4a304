package dev.qremote.sender.transport.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The service extensions a server announced in its EHLO reply (RFC 5321 4.1.1.1). */
public final class Extensions {
    private static final Extensions NONE = new Extensions(Map.of());
    private final Map<String, String> keywords;

    private Extensions(Map<String, String> keywords) {
        this.keywords = keywords;
    }

    /** What a server that only knows HELO supports. */
    public static Extensions none() {
        return NONE;
    }

    /** Parses a 250 EHLO reply; the first line is the greeting and names no extension. */
    static Extensions fromEhlo(Reply reply) {
        Map<String, String> keywords = new LinkedHashMap<>();
        for (int i = 1; i < reply.lines().size(); i++) {
            String line = reply.lines().get(i);
            String text = line.length() > 4 ? line.substring(4).trim() : "";
            if (text.isEmpty()) {
                continue;
            }
            int space = indexOfBlankOrEquals(text);
            String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
            String params = space < 0 ? "" : text.substring(space + 1).trim();
            keywords.put(keyword, params);
        }
        return new Extensions(Map.copyOf(keywords));
    }

    /** The keywords announced, upper case. */
    java.util.Set<String> keywords() {
        return keywords.keySet();
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The largest message the server takes (RFC 1870), when it announced one; 0 means no limit. */
    public java.util.OptionalLong sizeLimit() {
        Optional<String> size = parameters("SIZE");
        if (size.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            return size.get().isEmpty() ? java.util.OptionalLong.of(0) : java.util.OptionalLong.of(Long.parseLong(size.get()));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.of(0); // a limit we cannot read is no limit we can honour
        }
    }

    /** The LIMITS announced (RFC 9422); {@link Limits#NONE} without the keyword. */
    public Limits limits() {
        return parameters("LIMITS").map(Limits::parse).orElse(Limits.NONE);
    }

    public Optional<String> parameters(String keyword) {
        return Optional.ofNullable(keywords.get(keyword.toUpperCase(Locale.ROOT)));
    }

    /** Some old servers write "AUTH=LOGIN"; the '=' counts as the separator then. */
    private static int indexOfBlankOrEquals(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '=') {
                return i;
            }
        }
        return -1;
    }
}
