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
 * on VERB [~ARGUMENT] ACTION
 * </pre>
 * where VERB is an SMTP verb, GREETING or MESSAGE, ~ARGUMENT (optional) matches commands whose argument
 * contains ARGUMENT, and ACTION is one of {@code reply CODE TEXT} (a '|' in TEXT starts another line),
 * {@code close}, {@code reply-close CODE TEXT}, {@code raw TEXT} (with \r \n \0 escapes),
 * {@code delay MILLIS ACTION}.
 */
public final class ScriptFile {
    private ScriptFile() {
    }

    public static SmtpScript parse(String text) {
        SmtpScript.Builder b = SmtpScript.builder();
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
                    case "on" -> on(b, words);
                    default -> throw new IllegalArgumentException("unknown directive " + directive);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("script line " + number + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static void on(SmtpScript.Builder b, List<String> words) {
        String verb = words.remove(0).toUpperCase(java.util.Locale.ROOT);
        String argument = null;
        if (!words.isEmpty() && words.get(0).startsWith("~")) {
            argument = words.remove(0).substring(1);
        }
        Action action = action(words);
        if (argument == null) {
            b.on(verb, action);
        } else {
            b.on(verb, argument, action);
        }
    }

    private static Action action(List<String> words) {
        String kind = words.remove(0);
        switch (kind) {
            case "close":
                return new Action.Close();
            case "reply":
                return reply(words);
            case "reply-close":
                return new Action.ThenClose(reply(words));
            case "raw":
                return new Action.Raw(unescape(String.join(" ", words)).getBytes(StandardCharsets.ISO_8859_1));
            case "delay":
                long millis = Long.parseLong(words.remove(0));
                return new Action.Delay(Duration.ofMillis(millis), action(words));
            default:
                throw new IllegalArgumentException("unknown action " + kind);
        }
    }

    private static Action reply(List<String> words) {
        int code = Integer.parseInt(words.remove(0));
        return new Action.Reply(code, Arrays.asList(String.join(" ", words).split("\\|", -1)));
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
    }
}
