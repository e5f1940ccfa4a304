package dev.qremote.features;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "{x * 100000}" in a step's text stands for that character that many times: long names stay readable. */
final class Repeats {
    private static final Pattern REPEAT = Pattern.compile("\\{(.) \\* (\\d+)\\}");

    private Repeats() {
    }

    static String expand(String text) {
        Matcher m = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
