package dev.qremote.sender.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a file looked like when a snapshot read it: whether it existed, its modification time, size and
 * file key (device and inode on Unix, so that a file replaced by rename shows even with the same time and
 * size). Symbolic links are followed, as reading them does. Two stamps are equal when nothing seen changed.
 */
record FileStamp(State state, FileTime modified, long size, Object fileKey) {

    /** Missing files are stamped too: a file that appears later is noticed. */
    enum State { PRESENT, MISSING, UNREADABLE }

    private static final FileStamp MISSING = new FileStamp(State.MISSING, null, -1, null);
    private static final FileStamp UNREADABLE = new FileStamp(State.UNREADABLE, null, -1, null);

    @Override
    public boolean equals(Object other) {
        return other instanceof FileStamp o && state == o.state && size == o.size
                && java.util.Objects.equals(modified, o.modified) && java.util.Objects.equals(fileKey, o.fileKey);
    }

    // written out: a record's own equals and hashCode are bootstrapped through invokedynamic
    // (ObjectMethods), about 20 ms in a fresh JVM, paid by every per-process delivery
    @Override
    public int hashCode() {
        return java.util.Objects.hash(state, modified, size, fileKey);
    }

    static FileStamp of(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(State.PRESENT, a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException | RuntimeException e) {
            return UNREADABLE; // stays so until something changes; a read then fails as it did
        }
    }
}
