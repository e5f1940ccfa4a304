package dev.qremote.sender.dns;

import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Internationalised domain names as A-labels (RFC 5890), the one form both a DNS question and a 7-bit
 * envelope can carry. The conversion is the JDK's {@link IDN} (IDNA 2003 with unassigned code points
 * allowed): in the JDK, so nothing is added to start-up, and one conversion for DNS and SMTP means the name
 * looked up is the name said in RCPT TO.
 */
public final class ALabels {
    private ALabels() {
    }

    /**
     * {@code name} given as its bytes (one char per byte, as arguments arrive): itself when it is ASCII,
     * its A-label form when its bytes are UTF-8 that IDNA can convert, empty otherwise (bytes that are not
     * UTF-8, or a name IDNA refuses, such as an over-long label).
     */
    public static Optional<String> of(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return Optional.of(name);
        }
        byte[] bytes = new byte[name.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = name.charAt(i);
            if (c > 0xff) {
                return Optional.empty();
            }
            bytes[i] = (byte) c;
        }
        try {
            String unicode = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return Optional.of(IDN.toASCII(unicode, IDN.ALLOW_UNASSIGNED));
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
