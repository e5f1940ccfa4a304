package dev.qremote.fakemx;

import java.util.Locale;

/**
 * "When the client says {@code verb} (with an argument containing {@code argument}, if given; for the
 * {@code occurrence}th time in the session, if not 0), do {@code action}". Pseudo-verbs: {@code GREETING}
 * for the banner, {@code TLS-HANDSHAKE} for the handshake after 220 to STARTTLS, {@code CONTENT} for the
 * moment the first {@value SmtpSession#CONTENT_MARK} bytes of a message have come in after DATA,
 * {@code MESSAGE} for the reply after the final dot (or BDAT LAST; counted per message of the session, so that
 * {@code onNth("MESSAGE", 2, ...)} is the second transaction's; {@code GREETING} counts the server's
 * connections, so that {@code onNth("GREETING", 2, ...)} greets the second connection).
 */
public record Rule(String verb, String argument, int occurrence, Action action) {

    public Rule {
        if (occurrence < 0) {
            throw new IllegalArgumentException("occurrence counts from 1 (0: any)");
        }
    }

    public Rule(String verb, String argument, Action action) {
        this(verb, argument, 0, action);
    }

    /** {@code count}: how many times the client has said {@code commandVerb} in this session, this one included. */
    boolean matches(String commandVerb, String commandArgument, int count) {
        if (!verb.equalsIgnoreCase(commandVerb)) {
            return false;
        }
        if (occurrence != 0 && occurrence != count) {
            return false;
        }
        return argument == null
                || commandArgument.toLowerCase(Locale.ROOT).contains(argument.toLowerCase(Locale.ROOT));
    }
}
