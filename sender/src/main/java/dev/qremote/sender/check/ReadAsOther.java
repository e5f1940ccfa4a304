package dev.qremote.sender.check;

import dev.qremote.sender.control.ControlDirectory;
import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.Controls;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values qmail-remote reads without complaint as something other than what is written, as qmail's
 * control_readint does: trailing text after the digits ("30s", "1e3"), no leading digit (the default), a
 * timeout of 0 (1 s), a chunk size over the largest; and a HELO name that is empty or no host name.
 */
final class ReadAsOther {
    private static final Pattern LEADING = Pattern.compile("([0-9]*)(.*)");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f.:IPv]+]");

    private ReadAsOther() {
    }

    static void judge(Set<String> out, ControlDirectory dir) {
        helo(out, dir);
        number(out, dir, "timeoutconnect", Controls.DEFAULT_CONNECT_SECONDS, true);
        number(out, dir, "timeoutremote", Controls.DEFAULT_REMOTE_SECONDS, true);
        number(out, dir, "timeoutdns", Controls.DEFAULT_DNS_SECONDS, true);
        number(out, dir, "chunksizeremote", Controls.DEFAULT_CHUNK_SIZE, false);
        number(out, dir, "timeoutdelivery", Controls.DEFAULT_DELIVERY_SECONDS, true);
        number(out, dir, "reuseidle", Controls.DEFAULT_REUSE_IDLE_SECONDS, false);
        number(out, dir, "reusemax", Controls.DEFAULT_REUSE_MAX, false);
    }

    private static void helo(Set<String> out, ControlDirectory dir) {
        String file = "helohost";
        Optional<String> name = read(dir, file);
        if (name.isEmpty()) {
            file = "me";
            name = read(dir, file);
        }
        if (name.isEmpty()) {
            return;
        }
        if (name.get().isEmpty()) {
            out.add("control/" + file + " line 1: an empty host name: EHLO would carry no name");
        } else if (!HOST.matcher(name.get()).matches() && name.get().chars().allMatch(c -> c > ' ' && c != 127)) {
            out.add("control/" + file + " line 1: '" + name.get() + "' is not a host name: EHLO would carry it as it is");
        }
    }

    private static void number(Set<String> out, ControlDirectory dir, String file, long defaultValue, boolean timeout) {
        Optional<String> line = read(dir, file);
        if (line.isEmpty() || line.get().isEmpty()) {
            return;
        }
        Matcher m = LEADING.matcher(line.get());
        if (!m.matches() || m.group(1).length() > 10) {
            return; // a number over 2147483647 is the parser's own problem
        }
        String where = "control/" + file + " line 1: ";
        if (m.group(1).isEmpty()) {
            out.add(where + "'" + line.get() + "' does not start with a digit: the default, " + defaultValue + ", is used");
            return;
        }
        long n = Long.parseLong(m.group(1));
        if (n > Integer.MAX_VALUE) {
            return;
        }
        if (!m.group(2).isEmpty()) {
            out.add(where + "'" + line.get() + "' is read as " + n + " (only the leading digits count)");
        } else if (timeout && n == 0) {
            out.add(where + "0 is read as 1 (a timeout of 0 would be none)");
        } else if (file.equals("chunksizeremote") && n > Controls.MAX_CHUNK_SIZE) {
            out.add(where + n + " is read as " + Controls.MAX_CHUNK_SIZE + " (the largest chunk)");
        }
    }

    private static Optional<String> read(ControlDirectory dir, String file) {
        try {
            return dir.line(file);
        } catch (ControlFileException e) {
            return Optional.empty(); // named as unreadable elsewhere
        }
    }
}
