package dev.qremote.sender.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Whether a message's header says "TLS-Required: No" (RFC 8689 5): the field name in any case, the value
 * "No" in any case once unfolded and trimmed. Only the header section is read (up to the first empty line,
 * at most {@link #MAX_HEADER} bytes: a longer header is read that far).
 */
public final class TlsRequiredField {
    static final int MAX_HEADER = 1 << 20;
    private static final String NAME = "tls-required";

    private TlsRequiredField() {
    }

    /** True when the header of {@code message} holds "TLS-Required: No"; false too when it cannot be read. */
    public static boolean no(MessageSource message) {
        try (InputStream in = message.open()) {
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int read = 0;
            int c;
            while ((c = in.read()) >= 0 && read++ < MAX_HEADER) {
                if (c != '\n') {
                    line.write(c);
                    continue;
                }
                String text = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (!text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t')) {
                    field.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
                    continue;
                }
                if (says(field.toString(StandardCharsets.ISO_8859_1))) {
                    return true;
                }
                field.reset();
                if (text.isEmpty()) {
                    return false;
                }
                field.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            }
            // a header without its empty line (or cut at the limit): the line being read is the field's end or a new field
            String rest = line.toString(StandardCharsets.ISO_8859_1);
            if (!rest.isEmpty() && (rest.charAt(0) == ' ' || rest.charAt(0) == '\t')) {
                return says(field.toString(StandardCharsets.ISO_8859_1) + rest);
            }
            return says(field.toString(StandardCharsets.ISO_8859_1)) || says(rest);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean says(String field) {
        int colon = field.indexOf(':');
        return colon > 0 && field.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(NAME)
                && field.substring(colon + 1).trim().equalsIgnoreCase("no");
    }
}
