package dev.qremote.sender.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control files are bytes: "c\xc3\xa1.pem" (read one char per byte) threw InvalidPathException under the C
 * locale (qmail-rspawn's), and named "c\xc3\x83\xc2\xa1.pem" under UTF-8, so that a CA file that exists was
 * "missing" and the delivery log went to a mangled name. Run under a UTF-8 locale, as the launchers run
 * qmail-remote's (skipped under another); LauncherTest runs the launchers with no locale at all.
 */
class FileNamesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void underUtf8() {
        Assumptions.assumeTrue(Path.of("\u00e1").toUri().getRawPath().endsWith("%C3%A1"), "a UTF-8 locale");
    }

    /** The name as a control file reads it: one char per UTF-8 byte. */
    private static String asControlFileReadsIt(Path path) {
        return new String(path.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aUtf8NameIsItsBytes() throws Exception {
        assertThat(FileNames.of("/tmp/c\u00c3\u00a1.pem")).isEqualTo(Path.of("/tmp/c\u00e1.pem"));
        assertThat(FileNames.of("log//d\u00c3\u00a9livery.json/")).isEqualTo(Path.of("log/d\u00e9livery.json"));
        assertThat(FileNames.resolve(dir, "c\u00c3\u00a1.pem")).isEqualTo(dir.resolve("c\u00e1.pem"));
        assertThat(FileNames.text(Path.of("log/d\u00e9livery.json"))).isEqualTo("log/d\u00c3\u00a9livery.json");
        assertThat(FileNames.text(dir.resolve("c\u00e1.pem"))).isEqualTo(asControlFileReadsIt(dir.resolve("c\u00e1.pem")));
        assertThat(FileNames.of("plain/ascii")).isEqualTo(Path.of("plain/ascii"));
    }

    @Test
    void bytesTheLocaleCannotCarryAreRefusedWithAReasonNeverAnotherFile() {
        for (String name : new String[] {"/tmp/c\u00e9.pem", "/tmp/c\u00c3.pem", "/tmp/\u00ff\u00fe"}) {
            assertThatThrownBy(() -> FileNames.of(name)).isInstanceOf(IOException.class)
                    .hasMessage("its bytes cannot be a file name in this locale's character set");
        }
        assertThatThrownBy(() -> FileNames.of("/tmp/a\0b")).isInstanceOf(IOException.class)
                .hasMessage("the file name holds a NUL byte");
    }

    /** A CA file whose UTF-8 name a control file gives is found. */
    @Test
    void aCaFileWithAUtf8NameIsLoaded() throws Exception {
        Path ca = dir.resolve("c\u00e1.pem");
        Files.writeString(ca, dev.qremote.fakemx.tls.Pem.certificate(
                dev.qremote.fakemx.tls.TestCertificates.create(dev.qremote.fakemx.tls.KeyKind.ECDSA).root()));
        TrustStores.forLocation(Optional.of(asControlFileReadsIt(ca)));
        new TrustStoreCache().forLocation(Optional.of(asControlFileReadsIt(ca)));
        Files.createDirectories(dir.resolve("d\u00e9"));
        Files.move(ca, dir.resolve("d\u00e9/ca.pem"));
        TrustStores.forLocation(Optional.of(asControlFileReadsIt(dir.resolve("d\u00e9")) + "/"));
    }
}
