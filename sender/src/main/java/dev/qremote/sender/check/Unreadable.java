package dev.qremote.sender.check;

import dev.qremote.sender.control.ControlDirectory;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "control/FILE is unreadable" as the sender says it, with why (a directory, a FIFO, a device, a symbolic link
 * loop, over 16 MiB, not readable by this user) and what it costs: most files defer every delivery, a few
 * only some, reuse files and the delivery log none.
 */
final class Unreadable {
    private static final Pattern UNREADABLE = Pattern.compile("control/(\\S+) is unreadable");
    /** ControlDirectory's limit: a larger control file is not read. */
    private static final long MAX_FILE = 16L << 20;
    private static final int FILE_TYPE = 0170000;

    private Unreadable() {
    }

    /** {@code problem} with why and what it costs when it is an "is unreadable"; else as it is. */
    static String explained(String problem, ControlDirectory dir) {
        Matcher m = UNREADABLE.matcher(problem);
        if (!m.matches()) {
            return problem;
        }
        String name = m.group(1);
        return problem + " (" + why(dir.path(name)) + "): " + cost(name);
    }

    private static String cost(String name) {
        return switch (name) {
            case "deliverylog" -> "no line would be logged";
            case "reuseidle", "reusemax" -> "sessions are not kept for reuse; no delivery defers";
            case "authplaintext" -> "a delivery by a route with credentials would defer (#4.3.0)";
            case "domaincerts", "tlsclientciphers" -> "every SMTP delivery would defer once a mail exchanger is found (#4.3.0)";
            default -> "every delivery would defer (#4.3.0)";
        };
    }

    /** Why {@code path} is no readable regular file of at most 16 MiB. */
    static String why(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return "a directory";
            }
            if (attributes.isOther()) {
                return other(path);
            }
            if (attributes.isRegularFile() && attributes.size() > MAX_FILE) {
                return "over 16 MiB";
            }
            if (attributes.isRegularFile() && !Files.isReadable(path)) {
                return "this user may not read it";
            }
            return "it cannot be read";
        } catch (NoSuchFileException e) {
            return Files.isSymbolicLink(path) ? "a symbolic link to nothing" : "it is gone";
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason());
            return reason.contains("symbolic links") ? "a symbolic link loop"
                    : reason.contains("Permission denied") ? "this user may not reach it" : reason;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static String other(Path path) {
        try {
            int type = ((Integer) Files.getAttribute(path, "unix:mode")) & FILE_TYPE;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000, 0060000 -> "a device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }
}
