package dev.qremote.sender.control;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code key:value} control file read as qmail's constmap does: the key is the text before the first
 * colon, keys compare case-insensitively, lines without a colon are ignored, and a later line with the same
 * key replaces an earlier one.
 */
public final class KeyedTable {
    private final Map<String, String> entries;

    private KeyedTable(Map<String, String> entries) {
        this.entries = entries;
    }

    public static KeyedTable empty() {
        return new KeyedTable(Map.of());
    }

    public static KeyedTable parse(List<String> lines) {
        Map<String, String> entries = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon >= 0) {
                entries.put(fold(line.substring(0, colon)), line.substring(colon + 1));
            }
        }
        return new KeyedTable(Map.copyOf(entries));
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(fold(key)));
    }

    /** Every value, in no particular order (what a snapshot reads ahead, such as token files named by routes). */
    public java.util.Collection<String> values() {
        return entries.values();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    private static String fold(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
