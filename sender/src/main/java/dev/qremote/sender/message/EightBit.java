package dev.qremote.sender.message;

import java.io.InputStream;
import java.util.Optional;

/** Whether a message file has a byte above 127 (RFC 6152's 8-bit data), read until the first one. */
public final class EightBit {
    private EightBit() {
    }

    /** Reads a sized message ahead, until its first 8-bit byte. */
    public static boolean in(MessageSource message) throws MessageReadException {
        try (InputStream in = message.open()) {
            return scan(in);
        } catch (java.io.IOException e) {
            throw new MessageReadException(e);
        }
    }

    private static boolean scan(InputStream in) throws java.io.IOException {
        byte[] buffer = new byte[BufferSize.forStream(in, LineReader.BUFFER)];
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] < 0) {
                    return true;
                }
            }
            if (n == buffer.length && n < LineReader.BUFFER) {
                buffer = new byte[LineReader.BUFFER];
            }
        }
        return false;
    }

    /** Empty for a pipe, which cannot be read twice. */
    public static Optional<Boolean> in(InputStream message) throws MessageReadException {
        return MessageFile.readAhead(message, EightBit::scan);
    }
}
