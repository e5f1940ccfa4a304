package dev.qremote.fakemx;

import java.util.Locale;

/**
 * "When the client says {@code verb} (with an argument containing {@code argument}, if given), do
 * {@code action}". Pseudo-verbs: {@code GREETING} for the banner, {@code MESSAGE} for the reply after the
 * final dot.
 */
public record Rule(String verb, String argument, Action action) {

    boolean matches(String commandVerb, String commandArgument) {
        if (!verb.equalsIgnoreCase(commandVerb)) {
            return false;
        }
        return argument == null
                || commandArgument.toLowerCase(Locale.ROOT).contains(argument.toLowerCase(Locale.ROOT));
    }
}
