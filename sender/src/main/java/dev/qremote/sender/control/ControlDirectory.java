package dev.qremote.sender.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code $QMAILHOME/control/*} with the rules of qmail's control.c: a missing file means "use the
 * default", any other read error is a failure, trailing blanks are not part of a value, and list files skip
 * blank lines and lines starting with '#'. Bytes are read as ISO-8859-1 so every byte survives.
 */
public final class ControlDirectory {
    /** The largest control file read, in bytes (a routing table of 200,000 lines fits). */
    static final int MAX_FILE = 16 << 20;

    private final Path control;

    public ControlDirectory(Path qmailHome) {
        this.control = qmailHome.resolve("control");
    }

    /** Where a control file or directory is, for the few that are looked at, not read (tlshosts/). */
    public Path path(String name) {
        return control.resolve(name);
    }

    /** The first line of a one-line file, without trailing blanks; empty when the file does not exist. */
    public Optional<String> line(String name) throws ControlFileException {
        Optional<String> content = read(name);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        String text = content.get();
        int end = text.indexOf('\n');
        return Optional.of(stripTrailing(end < 0 ? text : text.substring(0, end)));
    }

    /**
     * A decimal number from the start of the first line. Like qmail's control_readint, a file that does not
     * start with a digit leaves the default in place.
     */
    public long number(String name, long defaultValue) throws ControlFileException {
        Optional<String> value = line(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String s = value.get();
        int i = 0;
        long n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            n = n * 10 + (s.charAt(i) - '0');
            if (n > Integer.MAX_VALUE) {
                throw ControlFileException.invalidLine(name, 1, "a number over 2147483647");
            }
            i++;
        }
        return i == 0 ? defaultValue : n;
    }

    /**
     * The meaningful lines of a list file; empty when the file does not exist.
     *
     * @throws ControlFileException when the file cannot be read, or a line holds CR or NUL (never meant, and
     *     never to reach an SMTP command or a file name)
     */
    public List<String> lines(String name) throws ControlFileException {
        return numberedLines(name).stream().map(ControlLine::text).toList();
    }

    /** As {@link #lines}, each line with its number in the file, so that a report can name it. */
    public List<ControlLine> numberedLines(String name) throws ControlFileException {
        List<ControlLine> lines = meaningfulLines(name);
        for (ControlLine line : lines) {
            requireNoCrOrNul(name, line);
        }
        return lines;
    }

    /** The meaningful lines, not yet checked for CR or NUL (for files with a more precise check first). */
    List<ControlLine> meaningfulLines(String name) throws ControlFileException {
        Optional<String> content = read(name);
        List<ControlLine> lines = new ArrayList<>();
        if (content.isEmpty()) {
            return lines;
        }
        String[] raw = content.get().split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = stripTrailing(raw[i]);
            if (!line.isEmpty() && line.charAt(0) != '#') {
                lines.add(new ControlLine(i + 1, line));
            }
        }
        return lines;
    }

    static void requireNoCrOrNul(String name, ControlLine line) throws ControlFileException {
        if (line.text().indexOf('\r') >= 0 || line.text().indexOf('\0') >= 0) {
            throw ControlFileException.invalidLine(name, line.number(),
                    "a CR or NUL byte, which no control file line can hold");
        }
    }

    /**
     * A control file's bytes. Only a regular file of at most {@link #MAX_FILE} bytes is read: a FIFO would
     * block the open for good (under the resident process's snapshot lock: every delivery), /dev/zero
     * would fill the heap of a JVM that many deliveries share.
     */
    private Optional<String> read(String name) throws ControlFileException {
        java.nio.file.Path file = control.resolve(name);
        try {
            if (!Files.isRegularFile(file)) {
                if (Files.notExists(file)) {
                    return Optional.empty();
                }
                throw ControlFileException.unreadable(name, null);
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_FILE + 1);
                if (bytes.length > MAX_FILE) {
                    throw ControlFileException.unreadable(name, null);
                }
                return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ControlFileException.unreadable(name, e);
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0) {
            char c = s.charAt(end - 1);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            end--;
        }
        return s.substring(0, end);
    }
}
