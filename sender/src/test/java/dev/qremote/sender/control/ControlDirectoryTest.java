package dev.qremote.sender.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlDirectoryTest {
    @TempDir
    Path home;

    private ControlDirectory write(String name, String content) throws Exception {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control").resolve(name), content);
        return new ControlDirectory(home);
    }

    @Test
    void oneLineFilesLoseTrailingBlanksAndFurtherLines() throws Exception {
        assertThat(write("me", "host.test \t\r\nsecond\n").line("me")).contains("host.test");
    }

    @Test
    void numbersReadLikeScanUlong() throws Exception {
        assertThat(write("timeoutremote", "30 seconds\n").number("timeoutremote", 1200)).isEqualTo(30);
        assertThat(write("timeoutremote", "thirty\n").number("timeoutremote", 1200)).isEqualTo(1200);
        assertThat(new ControlDirectory(home).number("absent", 60)).isEqualTo(60);
    }

    @Test
    void listsSkipBlankAndCommentLines() throws Exception {
        assertThat(write("smtproutes", "# c\n\na:b  \n:c\n").lines("smtproutes")).containsExactly("a:b", ":c");
    }

    @Test
    void anUnreadableFileIsAnError() throws Exception {
        Files.createDirectories(home.resolve("control/smtproutes"));
        assertThatThrownBy(() -> new ControlDirectory(home).lines("smtproutes"))
                .isInstanceOf(ControlFileException.class);
    }

    @Test
    void helohostFallsBackToMeAndTimeoutsHaveTheirDefaults() throws Exception {
        Controls controls = Controls.read(write("me", "me.test\n"));
        assertThat(controls.heloHost()).isEqualTo("me.test");
        assertThat(controls.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(controls.remoteTimeout()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(Controls.read(write("helohost", "helo.test\n")).heloHost()).isEqualTo("helo.test");
    }

    @Test
    void aZeroTimeoutDoesNotMeanForever() throws Exception {
        write("me", "me.test\n");
        assertThat(Controls.read(write("timeoutremote", "0\n")).remoteTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void neitherHelohostNorMeIsAnError() {
        assertThatThrownBy(() -> Controls.read(new ControlDirectory(home))).isInstanceOf(ControlFileException.class);
    }

    @Test
    void keyedTablesFoldCaseAndLetTheLastLineWin() {
        KeyedTable t = KeyedTable.parse(java.util.List.of("A.test:one", "a.TEST:two", "nocolon"));
        assertThat(t.get("a.test")).contains("two");
        assertThat(t.get("nocolon")).isEmpty();
    }

    @Test
    void aNulOrACrInsideALineIsRefusedWithItsFileAndLine() throws Exception {
        assertThatThrownBy(() -> write("smtproutes", "# routes\n\na:b\nc:d|us\0er|pw\n").lines("smtproutes"))
                .isInstanceOf(ControlFileException.class)
                .hasMessage("smtproutes line 4: a CR or NUL byte, which no control file line can hold");
        assertThatThrownBy(() -> write("authsenders", "a:b|user|p\rw\n").lines("authsenders"))
                .hasMessage("authsenders line 1: a CR or NUL byte, which no control file line can hold");
        assertThat(write("smtproutes", "a:b\r\n").lines("smtproutes")).as("CRLF line ends are fine")
                .containsExactly("a:b");
    }

    @Test
    void numberedLinesKeepTheLineNumbersOfTheFile() throws Exception {
        assertThat(write("smtproutes", "# c\n\na:b\n:c\n").numberedLines("smtproutes"))
                .containsExactly(new ControlLine(3, "a:b"), new ControlLine(4, ":c"));
    }

    @Test
    void aHeloNameSmtpCannotCarryIsRefusedNamingTheFileItCameFrom() throws Exception {
        write("me", "me.test\n");
        for (String bad : new String[] {"evil\rRSET", "evil\0", "two words", "del\u007f"}) {
            assertThatThrownBy(() -> Controls.read(write("me", bad + "\n")))
                    .hasMessage("me line 1: the host name has bytes SMTP cannot carry");
        }
        write("me", "me.test\n");
        assertThatThrownBy(() -> Controls.read(write("helohost", "evil\rRSET\n")))
                .hasMessage("helohost line 1: the host name has bytes SMTP cannot carry");
    }

    @Test
    void aHeloNameLongerThanADomainIsRefused() throws Exception {
        write("me", "me.test\n");
        assertThat(Controls.read(write("helohost", "h".repeat(255) + "\n")).heloHost()).hasSize(255);
        assertThatThrownBy(() -> Controls.read(write("helohost", "h".repeat(256) + "\n")))
                .hasMessage("helohost line 1: the host name is longer than 255 bytes");
        write("helohost", "me.test\n");
        assertThatThrownBy(() -> Controls.read(write("domainips", "*:127.0.0.1|" + "h".repeat(100_000) + "\n")))
                .hasMessage("domainips line 1: the host name is longer than 255 bytes");
    }

    @Test
    void aDomainipsHeloNameSmtpCannotCarryIsRefusedWithItsLine() throws Exception {
        write("me", "me.test\n");
        for (String bad : new String[] {"evil\rRSET", "evil\0", "two words", ""}) {
            String content = "# local addresses\nb.test:127.0.0.2|fine.test\na.test:127.0.0.1|" + bad + "\n";
            if (bad.isEmpty()) {
                assertThat(Controls.read(write("domainips", content)).domainIps().get("a.test"))
                        .as("an empty HELO name means helohost").contains("127.0.0.1|");
                continue;
            }
            assertThatThrownBy(() -> Controls.read(write("domainips", content)))
                    .hasMessage("domainips line 3: the HELO name has bytes SMTP cannot carry");
        }
    }

    @Test
    void aNumberBeyondAnIntNamesItsFile() throws Exception {
        assertThatThrownBy(() -> write("timeoutremote", "99999999999999999999\n").number("timeoutremote", 1200))
                .hasMessage("timeoutremote line 1: a number over 2147483647");
        assertThat(write("timeoutremote", "2147483647\n").number("timeoutremote", 1200)).isEqualTo(2147483647L);
    }

    @Test
    void tlsDestinationsKeepTheirLineNumbers() throws Exception {
        write("me", "me.test\n");
        assertThat(Controls.read(write("tlsdestinations", "# policy\n\n*:\n# more\n%a.test:=zz\n")).tlsDestinations())
                .containsExactly("", "", "*:", "", "%a.test:=zz");
    }

    @Test
    void aChunkSizeBeyondOneMebibyteIsOneMebibyte() throws Exception {
        write("me", "me.test\n");
        assertThat(Controls.read(write("chunksizeremote", "2000000000\n")).chunkSize()).isEqualTo(1 << 20);
        assertThat(Controls.read(write("chunksizeremote", "4096\n")).chunkSize()).isEqualTo(4096);
    }

    @Test
    void trustAnchorsKeepTheirLineNumbers() throws Exception {
        write("me", "me.test\n");
        assertThat(Controls.read(write("trustanchors", "# root\n\n. IN DS 1 8 2 AA\n")).trustAnchors())
                .contains("\n\n. IN DS 1 8 2 AA\n");
    }

    /** A FIFO or a device named as a control file is unreadable at once: it would block, or never end. */
    @Test
    void aFifoOrADeviceIsUnreadableAtOnce() throws Exception {
        Path fifo = home.resolve("control/smtproutes");
        Files.createDirectories(fifo.getParent());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is needed");
        Files.createSymbolicLink(home.resolve("control/qmtproutes"), Path.of("/dev/zero"));
        java.util.concurrent.CompletableFuture<Void> reads = java.util.concurrent.CompletableFuture.runAsync(() -> {
            assertThatThrownBy(() -> new ControlDirectory(home).lines("smtproutes")).isInstanceOf(ControlFileException.class);
            assertThatThrownBy(() -> new ControlDirectory(home).lines("qmtproutes")).isInstanceOf(ControlFileException.class);
        });
        reads.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
