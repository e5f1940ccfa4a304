package dev.qremote.sender.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names written in control files, which are read one char per byte (ISO-8859-1), as paths naming those
 * same bytes on disk. Java turns a path's chars into bytes with the locale's charset (sun.jnu.encoding, fixed
 * at start-up): the Latin-1 text is first decoded with that charset, so that "c\u00c3\u00a1.pem" (the UTF-8
 * bytes of "c\u00e1.pem") names c 0xc3 0xa1 under UTF-8 rather than being encoded twice. A name those bytes
 * cannot be in the locale's charset (any byte over 127 under C/POSIX, which is ASCII; a non-UTF-8 byte under
 * UTF-8) is refused with a reason, never mapped to another file and never thrown as InvalidPathException.
 * Here in tls, the lowest package that every reader of such names (tls, settings, delivery) may use.
 */
public final class FileNames {
    private FileNames() {
    }

    /**
     * The path of {@code text} under the JVM's own file-name charset.
     *
     * @throws IOException why it cannot be had (a NUL byte; a byte the charset cannot carry)
     */
    public static Path of(String text) throws IOException {
        return of(text, jnuCharset());
    }

    /** {@code name} from {@code home} (an absolute name stays), as {@link #of(String)}. */
    public static Path resolve(Path home, String name) throws IOException {
        return home.resolve(of(name));
    }

    /** As {@link #of(String)} with {@code charset} standing for the JVM's file-name charset. */
    static Path of(String text, Charset charset) throws IOException {
        if (text.indexOf('\0') >= 0) {
            throw new IOException("the file name holds a NUL byte");
        }
        byte[] bytes;
        String decoded;
        try {
            bytes = StandardCharsets.ISO_8859_1.newEncoder().encode(CharBuffer.wrap(text)).array();
            bytes = Arrays.copyOf(bytes, text.length());
            decoded = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            ByteBuffer back = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(decoded));
            byte[] again = Arrays.copyOf(back.array(), back.limit());
            if (!Arrays.equals(again, bytes)) {
                throw new CharacterCodingException();
            }
            return Path.of(decoded);
        } catch (CharacterCodingException | InvalidPathException e) {
            throw new IOException("its bytes cannot be a file name in this locale's character set ("
                    + charset.name() + ")");
        }
    }

    /** The bytes of {@code path} as the file system has them, one char per byte (the inverse of {@link #of}). */
    public static String text(Path path) {
        return new String(path.toString().getBytes(jnuCharset()), StandardCharsets.ISO_8859_1);
    }

    /** The charset Java names files in (sun.jnu.encoding); the default charset when that is not one. */
    static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
