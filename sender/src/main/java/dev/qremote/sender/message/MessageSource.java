package dev.qremote.sender.message;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message as a delivery reads it: its length in bytes known before it is sent (SIZE, RFC 1870; QMTP's
 * netstring), and its bytes readable from the first as often as needed (the recoding plan reads ahead,
 * SMTP then sends). A message file (qmail's queue/mess, or an open descriptor of one) is read in place with
 * positional reads, so that readers share no file position; a message from a pipe is kept first, in
 * memory up to {@value #IN_MEMORY} bytes and past that in an unlinked temporary file. Thread-safe: each
 * {@link #open} is independent.
 */
public final class MessageSource implements Closeable {
    /** A pipe's message up to this many bytes stays in the heap; a larger one goes to a temporary file. */
    static final int IN_MEMORY = 1 << 20;

    private final byte[] bytes;
    private final MessageReadException unreadable;
    private final FileChannel channel;
    private final long start;
    private final long length;
    private final boolean owned;

    private MessageSource(byte[] bytes, FileChannel channel, long start, long length, boolean owned) {
        this(bytes, channel, start, length, owned, null);
    }

    private MessageSource(byte[] bytes, FileChannel channel, long start, long length, boolean owned,
            MessageReadException unreadable) {
        this.unreadable = unreadable;
        this.bytes = bytes;
        this.channel = channel;
        this.start = start;
        this.length = length;
        this.owned = owned;
    }

    /**
     * A message that could not be read: every read of it fails with {@code why}, so that the delivery
     * reports it where it first needs the message, after the checks that come before (as classic does).
     */
    public static MessageSource unreadable(MessageReadException why) {
        return new MessageSource(new byte[0], null, 0, 0, false, why);
    }

    /** A message held in memory (a test's, or one already read). */
    public static MessageSource ofBytes(byte[] message) {
        return new MessageSource(message.clone(), null, 0, message.length, false);
    }

    /**
     * The message file at {@code path}, opened for reading now and closed by {@link #close}.
     *
     * @throws MessageReadException when it cannot be opened or measured
     */
    public static MessageSource ofFile(Path path) throws MessageReadException {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new MessageSource(null, channel, 0, channel.size(), true);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }

    /**
     * An open message file from its current position to its end (qmail-rspawn hands qmail-remote the file
     * on stdin at position 0). The channel stays the caller's: {@link #close} leaves it open.
     *
     * @throws MessageReadException when the channel is not a regular file (a pipe cannot tell its position)
     */
    public static MessageSource ofChannel(FileChannel channel) throws MessageReadException {
        try {
            long position = channel.position();
            return new MessageSource(null, channel, position, Math.max(0, channel.size() - position), false);
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }

    /**
     * Reads {@code in} to its end and keeps it: a regular file (stdin redirected from the queue) is used in
     * place; anything else is kept in memory, or past {@value #IN_MEMORY} bytes in a temporary file in
     * {@code tempDir} that is unlinked while open, so that nothing is left behind whatever happens.
     *
     * @throws MessageReadException when reading or keeping fails (disk full, read error)
     */
    public static MessageSource kept(InputStream in, Path tempDir) throws MessageReadException {
        if (in instanceof java.io.FileInputStream file) {
            try {
                FileChannel channel = file.getChannel();
                // for a descriptor opened to append, the JDK gives the size as the position: that would be an
                // empty message; read such a one as a stream, from where the descriptor really is
                if (!(channel.size() > 0 && channel.position() == channel.size())) {
                    return ofChannel(channel);
                }
            } catch (IOException | MessageReadException pipe) {
                // not seekable: keep it as any stream
            }
        }
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (head.size() < IN_MEMORY && (n = in.read(buffer)) > 0) {
                head.write(buffer, 0, n);
            }
            if (head.size() < IN_MEMORY) {
                byte[] all = head.toByteArray();
                return new MessageSource(all, null, 0, all.length, false);
            }
            return spilled(head, in, tempDir);
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }

    private static MessageSource spilled(ByteArrayOutputStream head, InputStream in, Path tempDir) throws IOException {
        Path file = Files.createTempFile(tempDir, "qremote-message", ".tmp");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            unlink(file); // where an open file can be unlinked (POSIX); else DELETE_ON_CLOSE removes it
            OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
            head.writeTo(out);
            long total = head.size() + in.transferTo(out);
            MessageSource kept = new MessageSource(null, channel, 0, total, true);
            channel = null;
            return kept;
        } finally {
            if (channel != null) {
                channel.close();
                Files.deleteIfExists(file);
            }
        }
    }

    private static void unlink(Path file) {
        try {
            Files.delete(file);
        } catch (IOException stillOpen) {
            // removed at close instead
        }
    }

    /** Whether this is {@link #unreadable}: every read fails. */
    public boolean unreadable() {
        return unreadable != null;
    }

    /** The length in bytes, as stored (line ends may still grow when sent as CRLF). */
    public long length() {
        return length;
    }

    /**
     * The bytes from the first, as a new stream; closing it does not close the source.
     */
    public InputStream open() {
        if (unreadable != null) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("the message could not be read", unreadable.getCause());
                }
            };
        }
        if (bytes != null) {
            return new java.io.ByteArrayInputStream(bytes);
        }
        return new Positional(channel, start, start + length);
    }

    /** Closes a file this source opened or made; never fails, the delivery's outcome stands by now. */
    @Override
    public void close() {
        if (owned) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing is left to do with it
            }
        }
    }

    /** Reads a region of a channel by position, so that many readers of one file share no state. */
    private static final class Positional extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        Positional(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int wanted = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(b, off, wanted), position);
            if (n < 0) {
                // the file shrank under us: what was announced (SIZE, a netstring) would be a lie
                throw new java.io.EOFException("the message file ended before its length");
            }
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
