package dev.qremote.sender.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments exactly as bytes. Java decodes argv with the locale's charset, and qmail-rspawn runs us with
 * none (POSIX, ASCII): an 8-bit address would arrive as '?'. On Linux /proc/self/cmdline still holds the
 * bytes; its last entries are our arguments, read here one char per byte (ISO-8859-1), as every other
 * text this program handles. Elsewhere, the arguments as Java decoded them.
 */
public final class RawArguments {
    private RawArguments() {
    }

    public static List<String> of(String[] decoded) {
        try {
            return fromCmdline(Files.readAllBytes(Path.of("/proc/self/cmdline")), decoded);
        } catch (IOException | RuntimeException e) {
            return Arrays.asList(decoded);
        }
    }

    /** The last {@code decoded.length} NUL-terminated entries of {@code cmdline}, when they agree in ASCII. */
    static List<String> fromCmdline(byte[] cmdline, String[] decoded) {
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(new String(cmdline, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (entries.size() < decoded.length) {
            return Arrays.asList(decoded);
        }
        List<String> raw = entries.subList(entries.size() - decoded.length, entries.size());
        for (int i = 0; i < decoded.length; i++) {
            if (!sameAscii(raw.get(i), decoded[i])) {
                return Arrays.asList(decoded); // not our arguments after all
            }
        }
        return List.copyOf(raw);
    }

    /**
     * The same argument: every ASCII character Java could decode appears in the bytes, in order (a byte it
     * could not map became '?' or U+FFFD, which stands for anything).
     */
    private static boolean sameAscii(String raw, String decoded) {
        int r = 0;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c >= 0x80 || c == '?') {
                continue;
            }
            while (r < raw.length() && raw.charAt(r) != c) {
                r++;
            }
            if (r == raw.length()) {
                return false;
            }
            r++;
        }
        return raw.isEmpty() == decoded.isEmpty();
    }
}
