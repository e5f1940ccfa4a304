package dev.qremote.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reports made readable and writable in feature files: one report per line, NUL shown as {@code \0} at the
 * end of the line, LF inside a report as {@code \n}, CR as {@code \r}, backslash as {@code \\}, any other
 * byte outside printable ASCII as {@code \xNN}. The mapping is exact both ways.
 */
public final class ReportText {
    private ReportText() {
    }

    public static String visible(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case 0 -> out.append("\\0\n");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 32 || c > 126) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The bytes an escaped text stands for; real line breaks in the text are ignored. */
    public static byte[] bytes(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\n') {
                continue;
            }
            if (c != '\\' || i + 1 == escaped.length()) {
                out.write(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case '0' -> out.write(0);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next);
            }
        }
        return out.toByteArray();
    }

    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
