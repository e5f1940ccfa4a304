package dev.qremote.sender.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells a changed file from an unchanged one without reading it: modification time, size and the file
 * key (device and inode where the platform has them, so a file replaced by rename is new even when its time
 * and size are not). Symbolic links are followed.
 */
record FileStamp(Path path, FileTime modified, long size, Object fileKey) {

    // written out: a record's own equals and hashCode are bootstrapped through invokedynamic
    // (ObjectMethods), about 20 ms in a fresh JVM, paid by every per-process delivery
    @Override
    public boolean equals(Object other) {
        return other instanceof FileStamp o && size == o.size && path.equals(o.path)
                && java.util.Objects.equals(modified, o.modified) && java.util.Objects.equals(fileKey, o.fileKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(path, modified, size, fileKey);
    }

    /** @throws IOException when the file cannot be examined (missing, unreadable directory) */
    static FileStamp of(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(path, attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }
}
