package dev.qremote.sender.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * File names written in control files, which are read one char per byte (ISO-8859-1), as paths naming those
 * same bytes on disk. Java turns a path's chars into bytes with the locale's charset (fixed at start-up), so
 * the Latin-1 text is first decoded: "c\u00c3\u00a1.pem" (the UTF-8 bytes of "c\u00e1.pem") must name
 * c 0xc3 0xa1 under UTF-8 rather than be encoded twice. Which decoding does is not guessed from properties:
 * each candidate path is checked by the bytes it names ({@link Path#toUri} escapes them one by one), and the
 * first that names exactly the control file's bytes is the one. A name no candidate can carry (any byte over
 * 127 under C/POSIX, which is ASCII; a non-UTF-8 byte under UTF-8) is refused with a reason: never mapped to
 * another file, never thrown as InvalidPathException. Here in tls, the lowest package that every reader of
 * such names (tls, settings, delivery, check) may use.
 */
public final class FileNames {
    private static final Path ROOT = Path.of("/");

    private FileNames() {
    }

    /**
     * The path naming the bytes {@code text} holds, one char per byte.
     *
     * @throws IOException why it cannot be had (a NUL byte; bytes the JVM's file-name charset cannot carry)
     */
    public static Path of(String text) throws IOException {
        if (text.indexOf('\0') >= 0) {
            throw new IOException("the file name holds a NUL byte");
        }
        if (text.chars().allMatch(c -> c < 0x80)) {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IOException("it is not a file name");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        Set<Charset> candidates = new LinkedHashSet<>(List.of(Charset.defaultCharset(), StandardCharsets.UTF_8,
                StandardCharsets.ISO_8859_1));
        for (Charset charset : candidates) {
            try {
                String decoded = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                Path path = Path.of(decoded);
                if (Arrays.equals(namedBytes(path), normalized(bytes))) {
                    return path;
                }
            } catch (CharacterCodingException | InvalidPathException e) {
                // not this one
            }
        }
        throw new IOException("its bytes cannot be a file name in this locale's character set");
    }

    /** {@code name} from {@code home} (an absolute name stays), as {@link #of(String)}. */
    public static Path resolve(Path home, String name) throws IOException {
        return home.resolve(of(name));
    }

    /** The bytes of {@code path} as the file system has them, one char per byte (the inverse of {@link #of}). */
    public static String text(Path path) {
        byte[] bytes = namedBytes(path);
        String absolute = new String(bytes, StandardCharsets.ISO_8859_1);
        return path.isAbsolute() ? absolute : absolute.substring(1);
    }

    /**
     * The bytes {@code path} names, from its URI (which escapes every byte outside a few ASCII characters as
     * %XX), without the slash a URI adds for a directory; a relative path as if under "/".
     */
    private static byte[] namedBytes(Path path) {
        String raw = ROOT.resolve(path).toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        return bytes.length > 1 && bytes[bytes.length - 1] == '/' ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    /** {@code bytes} as a Path keeps them: under "/", no repeated or final slash. */
    private static byte[] normalized(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1);
        out.write('/');
        byte last = '/';
        for (byte b : bytes) {
            if (b != '/' || last != '/') {
                out.write(b);
            }
            last = b;
        }
        byte[] result = out.toByteArray();
        return result.length > 1 && result[result.length - 1] == '/' ? Arrays.copyOf(result, result.length - 1)
                : result;
    }
}
