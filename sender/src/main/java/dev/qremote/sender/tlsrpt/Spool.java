package dev.qremote.sender.tlsrpt;

import dev.qremote.sender.attemptlog.AppendLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS reporting spool: a directory (control/tlsrptspool) with one file per UTC day, named YYYY-MM-DD,
 * to which each session's {@link SessionOutcome} is appended as one line (O_APPEND, one write: many
 * deliveries at once, threads or processes, never interleave; see {@link AppendLog}). bin/tlsrpt reads a
 * day back. Appending never fails a delivery: a spool that cannot be written is passed by.
 */
public final class Spool {
    private Spool() {
    }

    /** The file of {@code day} in {@code directory}. */
    public static Path file(Path directory, LocalDate day) {
        return directory.resolve(day.toString());
    }

    /**
     * Appends {@code outcome} to the file of its UTC day, making the directory (mode 0755 less the umask)
     * when it is missing; false when the line could not be written.
     */
    public static boolean append(AppendLog log, Path directory, SessionOutcome outcome) {
        Path file = file(directory, LocalDate.ofInstant(outcome.time(), ZoneOffset.UTC));
        if (log.append(file, outcome.line())) {
            return true;
        }
        if (Files.isDirectory(directory)) {
            return false;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return log.append(file, outcome.line());
    }

    /**
     * The sessions of {@code day}: every line that reads as one (a line cut short is skipped), in file order;
     * none when there is no file.
     *
     * @throws IOException when the file exists and cannot be read
     */
    public static List<SessionOutcome> read(Path directory, LocalDate day) throws IOException {
        Path file = file(directory, day);
        List<SessionOutcome> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            try {
                out.add(SessionOutcome.parse(line));
            } catch (RuntimeException e) {
                // a line a full disk cut short: it counts for nothing
            }
        }
        return out;
    }
}
