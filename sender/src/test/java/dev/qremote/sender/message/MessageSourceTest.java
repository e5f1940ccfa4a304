package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sized, rewindable message a delivery reads: from memory, a file, an open descriptor or a pipe. */
class MessageSourceTest {
    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void eachOpenReadsFromTheFirstByte() throws Exception {
        Path file = dir.resolve("m");
        byte[] content = random(70_000);
        Files.write(file, content);
        try (MessageSource m = MessageSource.ofFile(file)) {
            assertThat(m.length()).isEqualTo(70_000);
            InputStream first = m.open();
            first.readNBytes(1000);
            assertThat(m.open().readAllBytes()).isEqualTo(content);
            assertThat(first.readAllBytes()).hasSize(69_000);
        }
    }

    @Test
    void anOpenDescriptorCountsFromItsPositionAndStaysOpen() throws Exception {
        Path file = dir.resolve("m");
        Files.write(file, "skipped|the message\n".getBytes());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(8);
            MessageSource m = MessageSource.ofChannel(channel);
            assertThat(m.length()).isEqualTo(12);
            assertThat(m.open().readAllBytes()).isEqualTo("the message\n".getBytes());
            m.close();
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.position()).as("positional reads leave the descriptor's position").isEqualTo(8);
        }
    }

    @Test
    void stdinRedirectedFromAFileIsReadInPlace() throws Exception {
        Path file = dir.resolve("m");
        Files.write(file, random(3000));
        try (FileInputStream in = new FileInputStream(file.toFile()); MessageSource m = MessageSource.kept(in, dir)) {
            assertThat(m.length()).isEqualTo(3000);
            try (var files = Files.list(dir)) {
                assertThat(files.count()).as("no copy").isEqualTo(1);
            }
        }
    }

    @Test
    void aLargePipeGoesToAnUnlinkedFileThatCloseRemoves() throws Exception {
        byte[] content = random(MessageSource.IN_MEMORY + 12_345);
        InputStream pipe = new SequenceInputStream(new ByteArrayInputStream(content, 0, 100),
                new ByteArrayInputStream(content, 100, content.length - 100));
        MessageSource m = MessageSource.kept(pipe, dir);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("unlinked while open").isZero();
        }
        assertThat(m.length()).isEqualTo(content.length);
        assertThat(m.open().readAllBytes()).isEqualTo(content);
        assertThat(m.open().readAllBytes()).isEqualTo(content);
        m.close();
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void aFileThatShrinksIsAReadErrorNotAShorterMessage() throws Exception {
        Path file = dir.resolve("m");
        Files.write(file, random(5000));
        try (MessageSource m = MessageSource.ofFile(file)) {
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(100);
            }
            assertThatThrownBy(() -> m.open().readAllBytes()).isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void manyThreadsReadOneFileAtOnce() throws Exception {
        Path file = dir.resolve("m");
        byte[] content = random(200_000);
        Files.write(file, content);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (MessageSource m = MessageSource.ofFile(file)) {
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(pool.submit(() -> m.open().readAllBytes()));
            }
            for (Future<byte[]> read : reads) {
                assertThat(read.get()).isEqualTo(content);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anUnreadableFileIsAMessageReadError() {
        assertThatThrownBy(() -> MessageSource.ofFile(dir.resolve("missing")))
                .isInstanceOf(MessageReadException.class);
    }

    @Test
    void aMessageKeptFromAPipeCanBePlannedAndThenSent() throws Exception {
        byte[] small = "Subject: x\n\n\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] big = new byte[MessageSource.IN_MEMORY + 5];
        Arrays.fill(big, (byte) 0xe9);
        big[0] = '\n';
        big[big.length - 1] = '\n';
        for (byte[] message : new byte[][] {small, big}) {
            try (MessageSource m = MessageSource.kept(new ByteArrayInputStream(message), dir)) {
                assertThat(m.length()).isEqualTo(message.length);
                RecodingPlan plan = RecodingPlan.of(m, false);
                assertThat(plan.parts()).isEqualTo(1);
                assertThat(plan.eightBit()).isTrue();
                assertThat(m.open().readAllBytes()).as("from the first byte after each read ahead").isEqualTo(message);
            }
        }
    }

    @Test
    void aPipeThatFailsWhileSpillingLeavesNothingBehind() throws Exception {
        InputStream failing = new InputStream() {
            private long sent;

            @Override
            public int read() throws java.io.IOException {
                if (sent++ >= 2L * MessageSource.IN_MEMORY) {
                    throw new java.io.IOException("read error after 2 MiB");
                }
                return 'x';
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageSource.kept(failing, dir))
                .isInstanceOf(MessageReadException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("the spool file is unlinked at creation").isEmpty();
        }
    }

    @Test
    void aTempDirThatCannotBeWrittenIsAReadFailureAndLeavesNothingBehind() throws Exception {
        byte[] big = new byte[MessageSource.IN_MEMORY + 1];
        Path missing = dir.resolve("no-such-dir");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> MessageSource.kept(new ByteArrayInputStream(big), missing))
                .isInstanceOf(MessageReadException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
