package dev.qremote.sender.message;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The message as qmail-rspawn gives it: a regular file on stdin, which can be read ahead of sending, then
 * rewound; or a message from a pipe kept in memory. A bare pipe cannot; for it every
 * question here has no answer.
 */
final class MessageFile {
    interface Reading<T> {
        T read(InputStream from) throws IOException;
    }

    private MessageFile() {
    }

    static Optional<FileChannel> channel(InputStream in) {
        if (in instanceof FileInputStream file) {
            try {
                FileChannel channel = file.getChannel();
                channel.position(); // a pipe cannot tell: IOException
                return Optional.of(channel);
            } catch (IOException notAFile) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Reads the message ahead with {@code reading}, and puts the file back where it was. */
    static <T> Optional<T> readAhead(InputStream in, Reading<T> reading) throws MessageReadException {
        if (in instanceof ByteArrayInputStream kept) { // a small message from a pipe, kept in memory
            kept.mark(0);
            try {
                return Optional.of(reading.read(kept));
            } catch (IOException e) {
                throw new MessageReadException(e);
            } finally {
                kept.reset();
            }
        }
        Optional<FileChannel> channel = channel(in);
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        try {
            long start = channel.get().position();
            try {
                return Optional.of(reading.read(in));
            } finally {
                channel.get().position(start);
            }
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }
}
