package dev.qremote.sender.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Controls makes of the files whose only reader is the resident qmail-rspawn's session reuse. */
class ControlsTest {
    @TempDir
    Path home;

    /**
     * A number too large in reuseidle or reusemax turned every delivery into a deferral, per-process ones
     * included, which never keep a session: such a file now turns reuse off, and qmail-remote-check names it.
     */
    @Test
    void aBrokenReuseFileTurnsReuseOffAndIsAProblemButDefersNothing() throws Exception {
        Files.createDirectories(home.resolve("control"));
        Files.writeString(home.resolve("control/me"), "sender.test\n");
        for (String file : new String[] {"reuseidle", "reusemax"}) {
            Files.writeString(home.resolve("control").resolve(file), "99999999999\n");
            ControlDirectory dir = new ControlDirectory(home);
            assertThat(Controls.read(dir).reuse()).as(file).isFalse();
            assertThat(Controls.problems(dir)).as(file).singleElement()
                    .satisfies(p -> assertThat(p.getMessage()).contains(file));
            Files.delete(home.resolve("control").resolve(file));
        }
        assertThat(Controls.read(new ControlDirectory(home)).reuse()).as("the defaults keep sessions").isTrue();
    }
}
