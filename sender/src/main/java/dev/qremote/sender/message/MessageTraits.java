package dev.qremote.sender.message;

import java.io.InputStream;
import java.util.Optional;

/**
 * What a quick read of the message file shows: 8-bit bytes (RFC 6152) and lines longer than SMTP carries
 * (998 bytes without the line end, RFC 5321 4.5.3.1.6). It decides BODY=8BITMIME, and whether the slower
 * MIME walk of {@link RecodingPlan} is needed at all.
 */
public record MessageTraits(boolean eightBit, boolean longLines) {
    static final int LONGEST_LINE = 998;

    /** Empty for a pipe, which cannot be read twice. */
    public static Optional<MessageTraits> of(InputStream message) throws MessageReadException {
        return MessageFile.readAhead(message, in -> {
            byte[] buffer = new byte[LineReader.BUFFER];
            boolean eightBit = false;
            boolean longLines = false;
            long column = 0;
            int n;
            while ((n = in.read(buffer)) > 0 && !(eightBit && longLines)) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n' || b == '\r') {
                        column = 0;
                    } else {
                        eightBit |= b < 0;
                        longLines |= ++column > LONGEST_LINE;
                    }
                }
            }
            return new MessageTraits(eightBit, longLines);
        });
    }

    /** Whether a server without 8BITMIME ({@code eightBitMime} false), or any server, needs recoding. */
    public boolean needRecoding(boolean eightBitMime) {
        return longLines || (eightBit && !eightBitMime);
    }
}
