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
                    case "on" -> on(b, words);
                    default -> throw new IllegalArgumentException("unknown directive " + directive);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("script line " + number + ": " + e.getMessage(), e);
            }
        }
    }

    private static void on(SmtpScript.Builder b, List<String> words) {
        String verb = words.remove(0).toUpperCase(java.util.Locale.ROOT);
        int occurrence = 0;
        if (!words.isEmpty() && words.get(0).matches("#[1-9][0-9]*")) {
            occurrence = Integer.parseInt(words.remove(0).substring(1));
        }
        String argument = null;
        if (!words.isEmpty() && words.get(0).startsWith("~")) {
            argument = words.remove(0).substring(1);
        }
        byte[] extra = null;
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals("then") && words.get(i + 1).equals("raw")) {
                extra = unescape(String.join(" ", words.subList(i + 2, words.size())))
                        .getBytes(StandardCharsets.ISO_8859_1);
                words = new ArrayList<>(words.subList(0, i));
                break;
            }
        }
        Action action = action(words);
        if (!words.isEmpty()) {
            throw new IllegalArgumentException("unexpected " + String.join(" ", words));
        }
        b.rule(new Rule(verb, argument, occurrence, extra == null ? action : new Action.Extra(action, extra)));
    }

    private static Action action(List<String> words) {
        String kind = words.remove(0);
        switch (kind) {
            case "close":
                return new Action.Close();
            case "standard":
                return new Action.Standard();
            case "reply":
                return reply(words);
            case "reply-close":
                return new Action.ThenClose(reply(words));
            case "raw": {
                String text = String.join(" ", words);
                words.clear();
                return new Action.Raw(unescape(text).getBytes(StandardCharsets.ISO_8859_1));
            }
            case "delay":
                long millis = Long.parseLong(words.remove(0));
                return new Action.Delay(Duration.ofMillis(millis), action(words));
            case "dribble":
                long pause = Long.parseLong(words.remove(0));
                return new Action.Dribble(Duration.ofMillis(pause), action(words));
            default:
                throw new IllegalArgumentException("unknown action " + kind);
        }
    }

    private static Action reply(List<String> words) {
        int code = Integer.parseInt(words.remove(0));
        String text = String.join(" ", words);
        words.clear();
        return new Action.Reply(code, Arrays.asList(text.split("\\|", -1)));
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
    }
}
