package dev.qremote.sender.message;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One MIME entity (RFC 2045, 2046) met while walking a message: the message itself, a part of a multipart,
 * or the message inside a message/rfc822 part. Only what recoding needs is kept from its header: the
 * content type, the boundary and the transfer encoding, each capped.
 */
final class MimeEntity {
    /** Longest header value kept; a longer one is cut, which only a hostile message reaches. */
    private static final int VALUE_CAP = 8 * 1024;

    enum Kind {
        LEAF, MULTIPART, MESSAGE
    }

    /** What a leaf's transfer encoding allows: IDENTITY (none, 7bit, 8bit) and BINARY can be recoded. */
    enum Encoding {
        IDENTITY, BINARY, ENCODED
    }

    /** Deeper than this, parts are left as they are: a hostile nesting must not cost memory per level. */
    static final int MAX_DEPTH = 40;

    final int ordinal;
    final MimeEntity parent;
    private final int depth;
    private final StringBuilder contentType = new StringBuilder();
    private final StringBuilder transferEncoding = new StringBuilder();
    private boolean mimeVersion;
    private Kind kind = Kind.LEAF;
    private Encoding encoding = Encoding.IDENTITY;
    private byte[] delimiter;

    MimeEntity(int ordinal, MimeEntity parent) {
        this.ordinal = ordinal;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    /** Collects header text of the fields that matter; {@code field} is the lower-case field name. */
    void headerText(String field, byte[] bytes, int start, int length) {
        StringBuilder value = switch (field) {
            case "content-type" -> contentType;
            case "content-transfer-encoding" -> transferEncoding;
            default -> null;
        };
        if (field.equals("mime-version")) {
            mimeVersion = true;
        }
        if (value != null) {
            int room = Math.min(length, VALUE_CAP - value.length());
            if (room > 0) {
                value.append(new String(bytes, start, room, StandardCharsets.ISO_8859_1)); // unfolded: continuation lines begin with space
            }
        }
    }

    /** Settles kind and encoding once the header has ended. */
    void headerEnded() {
        String type = mediaType();
        String cte = token(afterColon(transferEncoding));
        boolean identity = cte.isEmpty() || cte.equals("7bit") || cte.equals("8bit");
        encoding = identity ? Encoding.IDENTITY : cte.equals("binary") ? Encoding.BINARY : Encoding.ENCODED;
        if (depth >= MAX_DEPTH) {
            encoding = Encoding.ENCODED;
            return;
        }
        if (type.startsWith("multipart/")) {
            String boundary = parameter(afterColon(contentType), "boundary");
            if (encoding != Encoding.ENCODED && !boundary.isEmpty()) {
                kind = Kind.MULTIPART;
                delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            } else {
                encoding = Encoding.ENCODED; // a composite body is never encoded; unreadable, it is left alone
            }
        } else if (type.equals("message/rfc822")) {
            if (encoding != Encoding.ENCODED) {
                kind = Kind.MESSAGE;
            }
        } else if (type.equals("message/partial") || type.equals("message/external-body")) {
            encoding = Encoding.ENCODED; // RFC 2046 5.2.2, 5.2.3: 7bit only, never encoded
        }
    }

    Kind kind() {
        return kind;
    }

    Encoding encoding() {
        return encoding;
    }

    boolean hasMimeVersion() {
        return mimeVersion;
    }

    /** The transfer encoding says 8bit or binary: untrue of a composite once its parts are recoded. */
    boolean labelledEightBit() {
        String cte = token(afterColon(transferEncoding));
        return cte.equals("8bit") || cte.equals("binary");
    }

    /** "--boundary" of a multipart, else null. */
    byte[] delimiter() {
        return delimiter;
    }

    private String mediaType() {
        String type = token(afterColon(contentType));
        if (type.isEmpty() && parent != null && parent.kind == Kind.MULTIPART
                && parent.mediaType().equals("multipart/digest")) {
            return "message/rfc822"; // RFC 2046 5.1.5
        }
        return type;
    }

    private static String afterColon(StringBuilder field) {
        int colon = field.indexOf(":");
        return colon < 0 ? "" : field.substring(colon + 1);
    }

    /** The value up to the first ';', without comments or space, in lower case. */
    private static String token(String value) {
        int semicolon = value.indexOf(';');
        String head = semicolon < 0 ? value : value.substring(0, semicolon);
        return withoutComments(head).strip().toLowerCase(Locale.ROOT);
    }

    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A parameter's value (RFC 2045 5.1), quoted or not; empty when absent. */
    static String parameter(String value, String name) {
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                return "";
            }
            String key = value.substring(i + 1, eq).strip();
            int at = eq + 1;
            while (at < value.length() && Character.isWhitespace(value.charAt(at))) {
                at++;
            }
            StringBuilder parsed = new StringBuilder();
            if (at < value.length() && value.charAt(at) == '"') {
                at++;
                while (at < value.length() && value.charAt(at) != '"') {
                    char c = value.charAt(at++);
                    if (c == '\\' && at < value.length()) {
                        c = value.charAt(at++);
                    }
                    parsed.append(c);
                }
                at++;
            } else {
                while (at < value.length() && value.charAt(at) != ';' && !Character.isWhitespace(value.charAt(at))) {
                    parsed.append(value.charAt(at++));
                }
            }
            if (key.equalsIgnoreCase(name)) {
                return parsed.toString();
            }
            i = value.indexOf(';', Math.min(at, value.length()));
        }
        return "";
    }
}
