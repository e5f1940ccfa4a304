package dev.qremote.sender.message;

import java.util.Optional;

/**
 * The text of an envelope address inside {@code <...>}: the local part quoted when it is not a dot-string
 * (RFC 5321 4.1.2, as qmail's quote.c does), the domain kept as given. Addresses with CR, LF or NUL are
 * refused: they could end an SMTP command early and inject another.
 */
public final class EnvelopeAddress {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private EnvelopeAddress() {
    }

    /** The SMTP path text, or empty when the address has bytes no SMTP command may carry. */
    public static Optional<String> encode(String address) {
        return encode(address, false);
    }

    /**
     * As {@link #encode(String)}; with {@code utf8} (the server took SMTPUTF8, RFC 6531), UTF-8 bytes are
     * part of a dot-string and need no quoting.
     */
    public static Optional<String> encode(String address, boolean utf8) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return Optional.empty();
            }
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.of(address);
        }
        String local = address.substring(0, at);
        boolean utf8Text = utf8 && needsUtf8(address); // bytes that are not UTF-8 stay quoted, as classic does
        return Optional.of((isDotString(local, utf8Text) ? local : quoted(local)) + address.substring(at));
    }

    /**
     * Whether an address (one char per byte) needs SMTPUTF8: it has 8-bit bytes and they are UTF-8. Other
     * 8-bit bytes are quoted, as classic qmail does.
     */
    public static boolean needsUtf8(String address) {
        boolean eightBit = false;
        byte[] bytes = new byte[address.length()];
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            eightBit |= c >= 0x80;
            bytes[i] = (byte) c;
        }
        if (!eightBit) {
            return false;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    static boolean isDotString(String local) {
        return isDotString(local, false);
    }

    private static boolean isDotString(String local, boolean utf8) {
        if (local.isEmpty()) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '.') {
                if (i == 0 || i == local.length() - 1 || local.charAt(i + 1) == '.') {
                    return false;
                }
            } else if (!isAtext(c) && !(utf8 && c >= 0x80 && c <= 0xff)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0;
    }

    private static String quoted(String local) {
        StringBuilder out = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
