package dev.qremote.fakemx;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Netstrings (cr.yp.to/proto/netstrings.txt): "LENGTH:BYTES,". */
final class Netstrings {
    private static final int MAX_DIGITS = 10;

    private Netstrings() {
    }

    /** One netstring; empty at a clean end of stream before its first byte. */
    static Optional<byte[]> read(InputStream in) throws IOException {
        long length = 0;
        int digits = 0;
        int c = in.read();
        if (c < 0) {
            return Optional.empty();
        }
        while (c != ':') {
            if (c < '0' || c > '9' || ++digits > MAX_DIGITS) {
                throw new IOException("not a netstring length");
            }
            length = length * 10 + (c - '0');
            c = in.read();
            if (c < 0) {
                throw new EOFException("netstring length cut short");
            }
        }
        if (digits == 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("bad netstring length");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length || in.read() != ',') {
            throw new EOFException("netstring cut short or without its comma");
        }
        return Optional.of(bytes);
    }

    static List<byte[]> split(byte[] concatenated) throws IOException {
        List<byte[]> out = new ArrayList<>();
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(concatenated);
        Optional<byte[]> next;
        while ((next = read(in)).isPresent()) {
            out.add(next.get());
        }
        return out;
    }

    static byte[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write(',');
        return out.toByteArray();
    }
}
