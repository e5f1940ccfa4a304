package dev.qremote.sender.attemptlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Appends whole lines to log files opened with O_APPEND (APPEND), each line in one write call, so lines of
 * many threads or processes never interleave. A kept log holds its files open and, before every line,
 * compares the file key (device and inode) the path has now with the one it opened: after logrotate's
 * move-and-create the next line opens the new file (truncation in place, copytruncate, is not looked for:
 * O_APPEND writes at the new end anyway). An unkept log opens and closes the file for every line.
 * Never throws: {@link #append} says whether the line went, and the caller goes on either way.
 * Thread-safe; lines are written one at a time.
 */
public final class AppendLog implements AutoCloseable {
    private static final AppendLog UNKEPT = new AppendLog(false);

    private final boolean keep;
    private final Map<Path, Open> open = new HashMap<>();

    private AppendLog(boolean keep) {
        this.keep = keep;
    }

    /** A log that keeps its files open between lines (a long-lived process's; close it at the end). */
    public static AppendLog kept() {
        return new AppendLog(true);
    }

    /** A log that opens each file for one line and closes it again (holds nothing). */
    public static AppendLog unkept() {
        return UNKEPT;
    }

    /**
     * Appends {@code line} (ending in LF) to {@code file}, creating the file (mode 0644 less the umask) when
     * missing. A short write (a full disk) is followed by an LF, so the next line starts on its own.
     *
     * @return whether the whole line was written
     */
    public synchronized boolean append(Path file, byte[] line) {
        try {
            if (!keep) {
                try (FileChannel channel = openChannel(file)) {
                    return write(channel, file, line);
                }
            }
            Open current = open.get(file);
            Object now = fileKey(file);
            if (current != null && (now == null || !now.equals(current.key))) {
                open.remove(file);
                closeQuietly(current.channel);
                current = null;
            }
            if (current == null) {
                FileChannel channel = openChannel(file);
                Object key = fileKey(file);
                if (key == null || now != null && !now.equals(key)) {
                    // rotated between the look before and the open: which file is open is unknown, so this
                    // line goes to it and the next one opens anew
                    try (channel) {
                        return write(channel, file, line);
                    }
                }
                current = new Open(channel, key);
                open.put(file, current);
            }
            boolean whole = write(current.channel, file, line);
            if (!whole) {
                open.remove(file);
                closeQuietly(current.channel);
            }
            return whole;
        } catch (IOException | RuntimeException e) {
            Open failed = open.remove(file);
            if (failed != null) {
                closeQuietly(failed.channel);
            }
            return false;
        }
    }

    /** Closes every file held open; a later line opens its file again. */
    @Override
    public synchronized void close() {
        for (Open o : open.values()) {
            closeQuietly(o.channel);
        }
        open.clear();
    }

    /**
     * Opens (or creates) a regular file only: opening a FIFO would block until a reader came; and never the
     * file this process's stdout or stderr is (/dev/stdout where stdout is a file): stdout is for reports.
     */
    private static FileChannel openChannel(Path file) throws IOException {
        if (Files.exists(file) && (!Files.isRegularFile(file) || ownOutput(file))) {
            throw new IOException(file + " is not a regular file of its own");
        }
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    /**
     * Why a line could not be appended to {@code file} by this user, judged without writing or creating
     * anything (for qmail-remote-check): the rules of {@link #append}, plus the names of standard output and
     * error, which in qmail-remote are the report pipe and the discarded stream. Empty: it could.
     */
    public static java.util.Optional<String> unwritable(Path file) {
        String name = file.normalize().toString();
        if (name.equals("/dev/stdout") || name.equals("/dev/stderr") || name.startsWith("/dev/fd/")
                || name.startsWith("/proc/self/fd/")) {
            return java.util.Optional.of("it names standard output or error, which qmail-remote never logs to");
        }
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file) || ownOutput(file)) {
                return java.util.Optional.of("it is not a regular file");
            }
            return Files.isWritable(file) ? java.util.Optional.empty()
                    : java.util.Optional.of("this user may not write it");
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return java.util.Optional.of("its directory " + directory + " does not exist");
        }
        return Files.isWritable(directory) ? java.util.Optional.empty()
                : java.util.Optional.of("this user may not create it in " + directory);
    }

    private static boolean ownOutput(Path file) {
        for (String fd : new String[] {"/proc/self/fd/1", "/proc/self/fd/2"}) {
            try {
                if (Files.isSameFile(file, Path.of(fd))) {
                    return true;
                }
            } catch (IOException | RuntimeException noSuchDescriptor) {
                // closed, or no /proc: nothing to compare with
            }
        }
        return false;
    }

    /** The device and inode (or what the file system has instead); null when the path is gone. */
    private static Object fileKey(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Objects.requireNonNullElse(attributes.fileKey(), file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * One write(2) of the line, under the file's lock (fcntl, between processes; one monitor for every log of
     * this JVM, which fcntl does not tell apart). A line cut short (a full disk) is cut off again: the file
     * is truncated to its size before the write, which no other writer changed meanwhile, so that no
     * fragment is left for jq to stop at. A file that ends mid-line all the same (cut by a writer that had no
     * lock, or could not truncate) gets an LF before the next line. A lock that cannot be had soon: the line
     * goes unlocked, without either, and a short one is followed by an LF if that can be written.
     */
    private static boolean write(FileChannel channel, Path file, byte[] line) throws IOException {
        synchronized (AppendLog.class) {
            java.nio.channels.FileLock lock = lock(channel);
            try {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                long before = -1;
                if (lock != null) {
                    before = channel.size();
                    if (endsMidLine(file)) {
                        buffer = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
                    }
                }
                return writeOnce(channel, buffer, before);
            } finally {
                if (lock != null) {
                    try {
                        lock.release();
                    } catch (IOException ignored) {
                        // closing the channel releases it too
                    }
                }
            }
        }
    }

    /** The whole-file lock, tried for about 50 ms; null when another process holds it that long or it fails. */
    private static java.nio.channels.FileLock lock(FileChannel channel) {
        try {
            for (int i = 0; i < 50; i++) {
                java.nio.channels.FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
                Thread.sleep(1);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** {@code before}: the file's size before the write, when no other writer can change it; else -1. */
    private static boolean writeOnce(FileChannel channel, ByteBuffer buffer, long before) throws IOException {
        channel.write(buffer); // one write(2) of the whole line; O_APPEND places it at the end
        if (!buffer.hasRemaining()) {
            return true;
        }
        if (before >= 0) {
            try {
                channel.truncate(before);
                return false;
            } catch (IOException | RuntimeException e) {
                // the LF below, then
            }
        }
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        return false;
    }

    /** Whether {@code file} is not empty and its last byte is not LF (read apart: APPEND cannot be read). */
    private static boolean endsMidLine(Path file) {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = reader.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            return size > 0 && reader.read(last, size - 1) == 1 && last.get(0) != '\n';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to write there
        }
    }

    /** A file held open and the key it had when opened. */
    private static final class Open {
        final FileChannel channel;
        final Object key;

        Open(FileChannel channel, Object key) {
            this.channel = channel;
            this.key = key;
        }
    }
}
