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
}
