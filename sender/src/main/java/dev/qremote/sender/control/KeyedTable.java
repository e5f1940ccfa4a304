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
    /** The file's line number of each key's deciding line; empty when parsed from bare lines. */
    private final Map<String, Integer> lineNumbers;

    private KeyedTable(Map<String, String> entries, Map<String, Integer> lineNumbers) {
        this.entries = entries;
        this.lineNumbers = lineNumbers;
    }

    public static KeyedTable empty() {
        return new KeyedTable(Map.of(), Map.of());
    }

    public static KeyedTable parse(List<String> lines) {
        List<ControlLine> numbered = new java.util.ArrayList<>();
        for (String line : lines) {
            numbered.add(new ControlLine(0, line));
        }
        return parseNumbered(numbered);
    }

    /** As {@link #parse}, remembering which line of the file decided each key (for qmail-remote-check). */
    public static KeyedTable parseNumbered(List<ControlLine> lines) {
        Map<String, String> entries = new HashMap<>();
        Map<String, Integer> numbers = new HashMap<>();
        for (ControlLine line : lines) {
            int colon = line.text().indexOf(':');
            if (colon >= 0) {
                String key = fold(line.text().substring(0, colon));
                entries.put(key, line.text().substring(colon + 1));
                if (line.number() > 0) {
                    numbers.put(key, line.number());
                }
            }
        }
        return new KeyedTable(Map.copyOf(entries), Map.copyOf(numbers));
    }

    /** The line number (from 1) of the line that decided {@code key}; 0 when unknown or absent. */
    public int lineOf(String key) {
        return lineNumbers.getOrDefault(fold(key), 0);
    }

    /** Every key (folded to lower case), in no particular order. */
    public java.util.Set<String> keys() {
        return entries.keySet();
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
