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

    /** @throws IOException when the file cannot be examined (missing, unreadable directory) */
    static FileStamp of(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(path, attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }
}
