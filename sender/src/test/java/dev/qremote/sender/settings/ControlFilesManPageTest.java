package dev.qremote.sender.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every control file the sender reads ({@link ControlSnapshot#FILES}) has its entry in qmail-remote(8). */
class ControlFilesManPageTest {

    @Test
    void qmailRemoteEightDescribesEveryControlFile() throws IOException {
        String page = Files.readString(Path.of("../man/qmail-remote.8"));
        String section = page.substring(page.indexOf(".SH \"CONTROL FILES\""), page.indexOf(".SH ENVIRONMENT"));
        assertThat(ControlSnapshot.FILES).allSatisfy(name -> assertThat(section)
                .as("control/" + name + " in qmail-remote(8)")
                .containsAnyOf(".TP 5\n.I " + name + "\n", ".TP 5\n.I " + name + "/\n"));
    }
}
