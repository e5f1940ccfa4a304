package dev.qremote.sender.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Whether a message's header says "TLS-Required: No" (RFC 8689 5): the field name in any case, the value
 * "No" in any case once unfolded and trimmed. Only the header section is read, as RFC 5322 2.2 and 3.6 have
 * it: fields ({@code name [WSP] ":" value}, the name printable US-ASCII without ':', continued by lines that
 * start with a space or tab) up to the first empty line, or up to the first line that is no field (an mbox
 * "From " line, a line without a colon: what follows is no header), at most {@link #MAX_HEADER} bytes. The
 * field counts only when it is the header's one TLS-Required field: "Yes" and "No" together are no request.
 */
public final class TlsRequiredField {
    static final int MAX_HEADER = 1 << 20;
    private static final String NAME = "tls-required";
    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("[!-9;-~]+[ \t]*:.*",
            java.util.regex.Pattern.DOTALL);

    private TlsRequiredField() {
    }

    /** True when the header of {@code message} holds "TLS-Required: No"; false too when it cannot be read. */
    public static boolean no(MessageSource message) {
        // read in blocks: the message's own stream reads the file at its position, one pread(2) per call
        try (InputStream in = message.open()) {
            Fields fields = new Fields();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] block = new byte[4096];
            int read = 0;
            for (int n; read < MAX_HEADER && (n = in.read(block, 0, Math.min(block.length, MAX_HEADER - read))) >= 0;) {
                read += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (block[i] != '\n') {
                        continue;
                    }
                    line.write(block, start, i - start);
                    start = i + 1;
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    line.reset();
                    if (text.endsWith("\r")) {
                        text = text.substring(0, text.length() - 1);
                    }
                    if (!fields.line(text)) {
                        return fields.saysNo();
                    }
                }
                line.write(block, start, n - start);
            }
            // a header without its empty line (or cut at the limit): the line being read is the last one
            fields.line(line.toString(StandardCharsets.ISO_8859_1));
            fields.line("");
            return fields.saysNo();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The header's fields as they end: how many were TLS-Required, and whether the last of them said No. */
    private static final class Fields {
        private final StringBuilder field = new StringBuilder();
        private int found;
        private boolean no;

        /** Takes one line without its line end; false when the header section has ended. */
        boolean line(String text) {
            boolean continuation = !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
            if (continuation && !field.isEmpty()) {
                field.append(text);
                return true;
            }
            end();
            if (text.isEmpty() || !FIELD.matcher(text).matches()) {
                return false;
            }
            field.append(text);
            return true;
        }

        private void end() {
            if (field.isEmpty()) {
                return;
            }
            String text = field.toString();
            field.setLength(0);
            int colon = text.indexOf(':');
            if (text.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(NAME)) {
                found++;
                no = text.substring(colon + 1).trim().equalsIgnoreCase("no");
            }
        }

        boolean saysNo() {
            end();
            return found == 1 && no;
        }
    }
}
