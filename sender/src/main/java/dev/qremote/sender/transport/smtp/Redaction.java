package dev.qremote.sender.transport.smtp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * What was said during AUTH, masked in everything the server says afterwards: a server that echoes the
 * client's line ("535 5.7.8 you said AUTH PLAIN AHVzZXIA...") must not carry a password into a report. Each
 * AUTH line is kept whole, and so is what its base64 decodes to; strings are ISO-8859-1, one char per byte,
 * as replies are. An echo split over reply lines cannot be matched whole, so a line that holds any
 * {@value #WINDOW} characters in a row of something said keeps only its code; and since the pieces may be
 * shorter than that, the reply's lines are also read as one text (codes, enhanced status codes and blanks
 * left out): when that holds such a run, every line of the reply keeps only its code. One instance belongs
 * to one session.
 */
final class Redaction {
    static final String MASK = "[redacted]";
    static final int WINDOW = 8;

    private final List<String> secrets = new ArrayList<>();
    private final java.util.Set<String> windows = new java.util.HashSet<>();
    /** The windows of each secret with its blanks left out, for the reply read as one text. */
    private final java.util.Set<String> squeezedWindows = new java.util.HashSet<>();
    private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile(
            "^[0-9]{3}[- ]?(?:[245]\\.[0-9]{1,3}\\.[0-9]{1,3}(?: |$))?");

    /** Remembers a line sent during AUTH: the line, its argument, and what the argument decodes to. */
    void sent(String line) {
        add(line);
        String argument = line.startsWith("AUTH ") ? line.substring(line.indexOf(' ', 5) + 1) : line;
        if (line.startsWith("AUTH ") && line.indexOf(' ', 5) < 0) {
            return; // "AUTH LOGIN": nothing secret in it
        }
        addWithWindows(argument);
        try {
            String decoded = new String(Base64.getDecoder().decode(argument), java.nio.charset.StandardCharsets.ISO_8859_1);
            addWithWindows(decoded);
        } catch (IllegalArgumentException notBase64) {
            // SCRAM's and XOAUTH2's lines are base64; anything else is masked as sent
        }
    }

    /** Remembers a secret itself (the password or token, as its bytes). */
    void secret(String secret) {
        addWithWindows(secret);
    }

    List<String> apply(List<String> lines) {
        return apply(lines, true);
    }

    /** {@code byWindows}: also mask lines holding part of a secret; never for 334, the SASL exchange itself. */
    private List<String> apply(List<String> lines, boolean byWindows) {
        if (secrets.isEmpty()) {
            return lines;
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String masked = line;
            for (String s : secrets) {
                masked = masked.replace(s, MASK);
            }
            out.add(byWindows && holdsPartOfASecret(masked) ? masked.substring(0, Math.min(4, masked.length())) + MASK : masked);
        }
        return out;
    }

    Reply apply(Reply reply) {
        return apply(reply, reply.code() != 334);
    }

    /**
     * As {@link #apply(Reply)}, a 334 too: a challenge that ends the exchange goes into a report, where a
     * password echoed in pieces must not (recheck9 N1: a two-line 334 echo carried it).
     */
    Reply applyAll(Reply reply) {
        return apply(reply, true);
    }

    private Reply apply(Reply reply, boolean byWindows) {
        if (secrets.isEmpty()) {
            return reply;
        }
        List<String> lines = apply(reply.lines(), byWindows);
        if (byWindows && (joinedHoldsPartOfASecret(lines)
                || reply.lines().size() > 1 && joinedHoldsPartOfASecret(reply.lines()))) {
            // one line spaced out counts too; over several lines the lines as sent are read as well, since a
            // piece masked on its own line must not hide the run it ends
            List<String> codes = new ArrayList<>(lines.size());
            for (String line : lines) {
                codes.add(line.substring(0, Math.min(4, line.length())) + MASK);
            }
            lines = codes;
        }
        return new Reply(reply.code(), lines);
    }

    /** The lines' texts after their codes, joined without blanks: an echo cut into short pieces shows here. */
    private boolean joinedHoldsPartOfASecret(List<String> lines) {
        StringBuilder joined = new StringBuilder();
        for (String line : lines) {
            joined.append(squeezed(PREFIX.matcher(line).replaceFirst("")));
        }
        for (int i = 0; i + WINDOW <= joined.length(); i++) {
            if (squeezedWindows.contains(joined.substring(i, i + WINDOW))) {
                return true;
            }
        }
        // a secret shorter than the window has no window: matched whole (recheck9 N2: "pw1" + "234")
        String text = joined.toString();
        for (String s : secrets) {
            String whole = squeezed(s).replace("\0", "");
            if (!whole.isEmpty() && text.contains(whole)) {
                return true;
            }
        }
        return false;
    }

    private static String squeezed(String s) {
        return s.replace(" ", "").replace("\t", "");
    }

    private boolean holdsPartOfASecret(String line) {
        for (int i = 0; i + WINDOW <= line.length(); i++) {
            if (windows.contains(line.substring(i, i + WINDOW))) {
                return true;
            }
        }
        return false;
    }

    /** A secret, matched whole and by its windows (not the command words around it: "AUTH PLAIN"). */
    private void addWithWindows(String s) {
        for (int i = 0; i + WINDOW <= s.length(); i++) {
            windows.add(s.substring(i, i + WINDOW));
        }
        // SASL's NUL separators come back as blanks or not at all: left out of the joined text's windows too
        String squeezed = squeezed(s).replace("\0", "");
        for (int i = 0; i + WINDOW <= squeezed.length(); i++) {
            squeezedWindows.add(squeezed.substring(i, i + WINDOW));
        }
        add(s);
    }

    private void add(String s) {
        if (!s.isEmpty() && !secrets.contains(s)) {
            secrets.add(s);
            secrets.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leftovers
        }
    }
}
