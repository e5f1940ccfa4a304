package dev.qremote.sender.tls;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.X509TrustManager;

/**
 * Parsed CA stores, kept while their files are unchanged: a file by its {@link FileStamp}, a directory by
 * the stamps of every regular file in it (a file added, removed or rewritten is a change), the JDK's own
 * CAs for the life of the cache. A failure is never kept: the next call reads again. Thread-safe; two
 * threads may parse the same change at once, and both then use the one that was stored.
 */
final class TrustStoreCache {
    private record Entry(List<FileStamp> stamps, X509TrustManager trust) {
    }

    private final ConcurrentHashMap<Optional<String>, Entry> entries = new ConcurrentHashMap<>();

    /** As {@link TrustStores#forLocation}, from the cache when the files are as they were. */
    X509TrustManager forLocation(Optional<String> location) throws TlsConfigException {
        List<FileStamp> stamps;
        try {
            stamps = stamps(location);
        } catch (IOException unreadable) {
            return TrustStores.forLocation(location); // gives the error the delivery reports
        }
        Entry cached = entries.get(location);
        if (cached != null && cached.stamps().equals(stamps)) {
            return cached.trust();
        }
        // stamped before reading: a change during the read is seen as a change by the next call
        Entry fresh = new Entry(stamps, TrustStores.forLocation(location));
        return entries.compute(location, (key, old) -> old != null && old.stamps().equals(stamps) ? old : fresh)
                .trust();
    }

    /** The stamps of {@code location}'s files now; a value equal to no other when they cannot be had. */
    Object identity(Optional<String> location) {
        try {
            return stamps(location);
        } catch (IOException unreadable) {
            return new Object();
        }
    }

    private static List<FileStamp> stamps(Optional<String> location) throws IOException {
        if (location.isEmpty()) {
            return List.of();
        }
        Path path = FileNames.of(location.get());
        if (!location.get().endsWith("/")) {
            return List.of(FileStamp.of(path));
        }
        List<FileStamp> out = new ArrayList<>();
        out.add(FileStamp.of(path));
        if (!Files.isDirectory(path)) {
            throw new IOException("not a directory: " + path); // a FIFO would block the open
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    out.add(FileStamp.of(file));
                }
            }
        }
        out.sort(Comparator.comparing(stamp -> stamp.path().toString()));
        return out;
    }
}
