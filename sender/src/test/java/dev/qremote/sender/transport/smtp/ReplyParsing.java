package dev.qremote.sender.transport.smtp;

import java.io.ByteArrayInputStream;

/** Opens the package-private reply reader to the JMH benchmark. */
public final class ReplyParsing {
    private ReplyParsing() {
    }

    public static Reply parse(byte[] wire) throws Exception {
        return new ReplyReader(new ByteArrayInputStream(wire)).read("EHLO");
    }
}
