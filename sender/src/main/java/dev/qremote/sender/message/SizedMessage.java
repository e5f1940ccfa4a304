package dev.qremote.sender.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message whose length is known before it is sent, and that can be read ahead and rewound, as QMTP and
 * the recoding plan need. From a regular file (what qmail-rspawn gives) the length is the file's; from a
 * pipe, the message is kept in memory up to a threshold, and past it spilled to a temporary file: never
 * the whole of a large message in the heap.
 */
public final class SizedMessage implements Closeable {
    static final int IN_MEMORY = 1 << 20;

    private final long length;
    private final InputStream content;
    private final Path spill;

    private SizedMessage(long length, InputStream content, Path spill) {
        this.length = length;
        this.content = content;
        this.spill = spill;
    }

    public static SizedMessage of(InputStream in, Path tempDir) throws MessageReadException {
        try {
            if (in instanceof FileInputStream file) {
                FileChannel channel = file.getChannel();
                try {
                    long remaining = channel.size() - channel.position(); // a pipe cannot seek: IOException
                    return new SizedMessage(remaining, in, null);
                } catch (IOException notAFile) {
                    // a pipe: measure it by reading
                }
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (head.size() < IN_MEMORY && (n = in.read(buffer)) > 0) {
                head.write(buffer, 0, n);
            }
            if (head.size() < IN_MEMORY) {
                return new SizedMessage(head.size(), new ByteArrayInputStream(head.toByteArray()), null);
            }
            return spilled(head, in, tempDir);
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }

    /**
     * Keeps the rest of a pipe in a temporary file that is unlinked as soon as it is open for reading and
     * writing: nothing is left behind whether spooling fails (disk full, read error), the thread is
     * interrupted or the process is killed. Where an open file cannot be unlinked (not POSIX), it goes at
     * {@link #close}, or at once when spooling fails.
     */
    private static SizedMessage spilled(ByteArrayOutputStream head, InputStream in, Path tempDir) throws IOException {
        Path file = Files.createTempFile(tempDir, "qremote-message", ".tmp");
        FileInputStream content = null;
        boolean kept = false;
        try {
            // a FileInputStream, so that the spilled message can be read ahead and rewound like a message file
            content = new FileInputStream(file.toFile());
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                Path leftOver = unlinked(file) ? null : file;
                head.writeTo(out);
                long total = head.size() + in.transferTo(out);
                kept = true;
                return new SizedMessage(total, content, leftOver);
            }
        } finally {
            if (!kept) {
                if (content != null) {
                    content.close();
                }
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean unlinked(Path file) {
        try {
            Files.delete(file);
            return true;
        } catch (IOException stillOpen) {
            return false;
        }
    }

    /**
     * The length of a message read from a regular file (what qmail-rspawn gives) or kept by
     * {@link #of}, without reading it; empty for a pipe. For SIZE (RFC 1870), where an estimate is
     * allowed: line ends may still grow.
     */
    public static java.util.OptionalLong knownLength(InputStream in) {
        if (in instanceof ByteArrayInputStream bytes) {
            return java.util.OptionalLong.of(bytes.available());
        }
        return MessageFile.channel(in).map(channel -> {
            try {
                return java.util.OptionalLong.of(channel.size() - channel.position());
            } catch (IOException notAFile) {
                return java.util.OptionalLong.empty();
            }
        }).orElse(java.util.OptionalLong.empty());
    }

    public long length() {
        return length;
    }

    /** The bytes, read once. */
    public InputStream content() {
        return content;
    }

    /**
     * Closes the message and removes a spilled copy. Never fails: by now the delivery's outcome stands, and
     * a temporary file left over is the system's to clean.
     */
    @Override
    public void close() {
        try {
            content.close();
            if (spill != null) {
                Files.deleteIfExists(spill);
            }
        } catch (IOException ignored) {
            // see above
        }
    }

}
