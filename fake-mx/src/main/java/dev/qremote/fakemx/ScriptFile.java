package dev.qremote.fakemx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text form of an {@link SmtpScript}, one directive per line ('#' starts a comment):
 * <pre>
 * hostname mx.example.test
 * extensions PIPELINING, 8BITMIME, AUTH PLAIN LOGIN   (comma-separated EHLO lines)
 * helo-only
 * size-limit 1000000
 * limits RCPTMAX=2 MAILMAX=3 RCPTDOMAINMAX=1          (announced as LIMITS, enforced with 452 4.5.3)
 * on VERB [#N] [~ARGUMENT] ACTION [then raw TEXT]
 * </pre>
 * where VERB is an SMTP verb or a pseudo-step (GREETING, TLS-HANDSHAKE, CONTENT, MESSAGE), #N (optional)
 * matches only the Nth time the client says VERB in a session (for GREETING: the server's Nth connection), ~ARGUMENT (optional) matches commands whose
 * argument contains ARGUMENT, and ACTION is one of {@code reply CODE TEXT} (a '|' in TEXT starts another
 * line), {@code standard} (what the polite server does), {@code close}, {@code reply-close CODE TEXT},
 * {@code raw TEXT} (with \r \n \0 escapes), {@code delay MILLIS ACTION}, {@code dribble MILLIS ACTION}
 * (one byte per write, MILLIS apart). {@code then raw TEXT} sends TEXT right after the action's reply, in
 * the same write: an unsolicited extra line.
 */
public final class ScriptFile {
    private ScriptFile() {
    }

    public static SmtpScript parse(String text) {
        SmtpScript.Builder b = SmtpScript.builder();
        addTo(b, text);
        return b.build();
    }

    /** Adds the directives of {@code text} to {@code b} (rules after the ones it has). */
    public static void addTo(SmtpScript.Builder b, String text) {
        int number = 0;
        for (String raw : text.split("\n")) {
            number++;
            // a reply's or raw text's blanks inside it are bytes to send; blanks at the ends are not
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            String directive = words.remove(0);
            try {
                switch (directive) {
                    case "hostname" -> b.hostname(words.get(0));
                    case "extensions" -> b.extensions(String.join(" ", words).split("\\s*,\\s*"));
                    case "helo-only" -> b.heloOnly();
                    case "size-limit" -> b.sizeLimit(Long.parseLong(words.get(0)));
                    case "sink" -> b.sink();
                    case "limits" -> b.limits(String.join(" ", words));
                    case "on" -> on(b, new Cursor(line.substring(directive.length())));
                    default -> throw new IllegalArgumentException("unknown directive " + directive);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("script line " + number + ": " + e.getMessage(), e);
            }
        }
    }

    /** The words of a line one by one, and the rest of it as written. */
    private static final class Cursor {
        private String line;
        private int at;

        Cursor(String line) {
            this.line = line;
        }

        boolean more() {
            return !line.substring(at).isBlank();
        }

        /** The next word, or "" at the end. */
        String peek() {
            int from = skipBlanks(at);
            int to = from;
            while (to < line.length() && !Character.isWhitespace(line.charAt(to))) {
                to++;
            }
            return line.substring(from, to);
        }

        String next() {
            String word = peek();
            if (word.isEmpty()) {
                throw new IllegalArgumentException("missing word");
            }
            at = skipBlanks(at) + word.length();
            return word;
        }

        /** Everything after the blank that ends the last word, as written; the cursor is at the end. */
        String rest() {
            String rest = at < line.length() ? line.substring(at + 1) : "";
            at = line.length();
            return rest;
        }

        /** Cuts the line at " then raw " and returns what follows it, or null. */
        String cutThenRaw() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s+then\\s+raw(\\s|$)").matcher(line);
            if (!m.find(at)) {
                return null;
            }
            String extra = line.substring(m.end());
            line = line.substring(0, m.start());
            return extra;
        }

        private int skipBlanks(int from) {
            while (from < line.length() && Character.isWhitespace(line.charAt(from))) {
                from++;
            }
            return from;
        }
    }

    private static void on(SmtpScript.Builder b, Cursor words) {
        String verb = words.next().toUpperCase(java.util.Locale.ROOT);
        int occurrence = 0;
        if (words.peek().matches("#[1-9][0-9]*")) {
            occurrence = Integer.parseInt(words.next().substring(1));
        }
        String argument = null;
        if (words.peek().startsWith("~")) {
            argument = words.next().substring(1);
        }
        String extraText = words.cutThenRaw();
        byte[] extra = extraText == null ? null : unescape(extraText).getBytes(StandardCharsets.ISO_8859_1);
        Action action = action(words);
        if (words.more()) {
            throw new IllegalArgumentException("unexpected " + words.rest().strip());
        }
        b.rule(new Rule(verb, argument, occurrence, extra == null ? action : new Action.Extra(action, extra)));
    }

    private static Action action(Cursor words) {
        String kind = words.next();
        switch (kind) {
            case "close":
                return new Action.Close();
            case "standard":
                return new Action.Standard();
            case "reply":
                return reply(words);
            case "reply-close":
                return new Action.ThenClose(reply(words));
            case "raw":
                return new Action.Raw(unescape(words.rest()).getBytes(StandardCharsets.ISO_8859_1));
            case "delay":
                long millis = Long.parseLong(words.next());
                return new Action.Delay(Duration.ofMillis(millis), action(words));
            case "dribble":
                long pause = Long.parseLong(words.next());
                return new Action.Dribble(Duration.ofMillis(pause), action(words));
            default:
                throw new IllegalArgumentException("unknown action " + kind);
        }
    }

    private static Action reply(Cursor words) {
        int code = Integer.parseInt(words.next());
        String text = words.rest();
        return new Action.Reply(code, Arrays.asList(text.split("\\|", -1)));
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
    }
}
