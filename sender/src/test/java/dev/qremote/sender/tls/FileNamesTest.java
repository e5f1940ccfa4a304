package dev.qremote.sender.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control files are bytes: "c\xc3\xa1.pem" (read one char per byte) threw InvalidPathException under the C
 * locale (qmail-rspawn's), and named "c\xc3\x83\xc2\xa1.pem" under UTF-8, so that a CA file that exists was
 * "missing" and the delivery log went to a mangled name.
 */
class FileNamesTest {
    private static final String UTF8_NAME = "/tmp/c\u00c3\u00a1.pem"; // the UTF-8 bytes of "/tmp/cá.pem"

    @Test
    void underUtf8TheBytesAreTheName() throws Exception {
        Path path = FileNames.of(UTF8_NAME, StandardCharsets.UTF_8);
        assertThat(path.toString()).isEqualTo("/tmp/c\u00e1.pem");
        assertThat(path.toString().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(UTF8_NAME.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void underAsciiOrForBytesUtf8CannotCarryTheNameIsRefusedWithAReason() {
        for (Object[] c : new Object[][] {{UTF8_NAME, StandardCharsets.US_ASCII},
                {"/tmp/c\u00e9.pem", StandardCharsets.UTF_8}, {"/tmp/c\u00c3.pem", StandardCharsets.UTF_8}}) {
            assertThatThrownBy(() -> FileNames.of((String) c[0], (Charset) c[1])).isInstanceOf(IOException.class)
                    .hasMessage("its bytes cannot be a file name in this locale's character set (" + ((Charset) c[1]).name() + ")");
        }
        assertThatThrownBy(() -> FileNames.of("/tmp/a\0b", StandardCharsets.UTF_8)).isInstanceOf(IOException.class)
                .hasMessage("the file name holds a NUL byte");
    }

    @Test
    void underLatin1EveryByteIsItself() throws Exception {
        Charset latin1 = StandardCharsets.ISO_8859_1;
        assertThat(FileNames.of("/tmp/c\u00e9\u00ff.pem", latin1).toString()).isEqualTo("/tmp/c\u00e9\u00ff.pem");
        assertThat(FileNames.of("plain/ascii", StandardCharsets.US_ASCII)).isEqualTo(Path.of("plain/ascii"));
    }

    /** A CA file whose UTF-8 name a control file gives is found (the JVM here runs under UTF-8). */
    @Test
    void aCaFileWithAUtf8NameIsLoaded(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FileNames.jnuCharset().equals(StandardCharsets.UTF_8), "a UTF-8 locale");
        Path ca = dir.resolve("c\u00e1.pem");
        Files.writeString(ca, dev.qremote.fakemx.tls.Pem.certificate(
                dev.qremote.fakemx.tls.TestCertificates.create(dev.qremote.fakemx.tls.KeyKind.ECDSA).root()));
        String asControlFileReadsIt = new String(ca.toString().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertThat(FileNames.text(ca)).isEqualTo(asControlFileReadsIt);
        TrustStores.forLocation(Optional.of(asControlFileReadsIt));
        new TrustStoreCache().forLocation(Optional.of(asControlFileReadsIt));
    }
}
