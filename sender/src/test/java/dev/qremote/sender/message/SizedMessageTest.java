package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QMTP needs the length first: from a file it is known, from a pipe it is measured, spilling large ones. */
class SizedMessageTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileIsNotCopied() throws Exception {
        Path file = dir.resolve("m");
        Files.write(file, new byte[3000]);
        try (FileInputStream in = new FileInputStream(file.toFile()); SizedMessage m = SizedMessage.of(in, dir)) {
            assertThat(m.length()).isEqualTo(3000);
            assertThat(m.content()).isSameAs(in);
        }
    }

    @Test
    void aSmallStreamStaysInMemory() throws Exception {
        try (SizedMessage m = SizedMessage.of(new ByteArrayInputStream("hello\n".getBytes()), dir)) {
            assertThat(m.length()).isEqualTo(6);
            assertThat(m.content().readAllBytes()).isEqualTo("hello\n".getBytes());
            try (var files = Files.list(dir)) {
                assertThat(files.count()).isZero();
            }
        }
    }

    @Test
    void aLargeStreamSpillsToATemporaryFileThatLeavesNothingBehind() throws Exception {
        byte[] big = new byte[SizedMessage.IN_MEMORY * 3 + 17];
        Arrays.fill(big, (byte) 'x');
        InputStream pipe = new ByteArrayInputStream(big);
        try (SizedMessage m = SizedMessage.of(pipe, dir)) {
            assertThat(m.length()).isEqualTo(big.length);
            try (var files = Files.list(dir)) {
                assertThat(files.count()).as("unlinked as soon as it is opened for reading").isZero();
            }
            assertThat(m.content().readAllBytes()).isEqualTo(big);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void aMessageKeptFromAPipeCanBePlannedAndThenSent() throws Exception {
        byte[] small = "Subject: x\n\n\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] big = new byte[SizedMessage.IN_MEMORY + 5];
        Arrays.fill(big, (byte) 0xe9);
        big[0] = '\n';
        big[big.length - 1] = '\n';
        for (byte[] message : new byte[][] {small, big}) {
            try (SizedMessage m = SizedMessage.of(new ByteArrayInputStream(message), dir)) {
                assertThat(SizedMessage.knownLength(m.content())).hasValue(message.length);
                RecodingPlan plan = RecodingPlan.of(m.content(), false).orElseThrow();
                assertThat(plan.parts()).isEqualTo(1);
                assertThat(EightBit.in(m.content())).contains(true);
                assertThat(m.content().readAllBytes()).as("rewound after each read ahead").isEqualTo(message);
            }
        }
    }

    @Test
    void aPipeThatFailsWhileSpillingLeavesNothingBehind() throws Exception {
        InputStream failing = new InputStream() {
            private long sent;

            @Override
            public int read() throws java.io.IOException {
                if (sent++ >= 2L * SizedMessage.IN_MEMORY) {
                    throw new java.io.IOException("read error after 2 MiB");
                }
                return 'x';
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SizedMessage.of(failing, dir))
                .isInstanceOf(MessageReadException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("the spool file is unlinked at creation").isEmpty();
        }
    }

    @Test
    void aTempDirThatCannotBeWrittenIsAReadFailureAndLeavesNothingBehind() throws Exception {
        byte[] big = new byte[SizedMessage.IN_MEMORY + 1];
        Path missing = dir.resolve("no-such-dir");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> SizedMessage.of(new ByteArrayInputStream(big), missing))
                .isInstanceOf(MessageReadException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
