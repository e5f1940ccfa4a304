package dev.qremote.sender.tls;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a CA file or directory ("path/") cannot give a delivery its trust, for qmail-remote-check: the same
 * loading as a delivery's (so the two agree), and only when that fails, the cause in words.
 */
public final class CaLocation {
    private CaLocation() {
    }

    /**
     * Empty when a delivery could load {@code location} (a PEM file, or a directory when it ends in '/'); else
     * why not, e.g. "no such file", "it holds no PEM certificate that can be read". Relative paths are taken
     * from the working directory, as a delivery takes them.
     */
    public static Optional<String> problem(String location) {
        try {
            TrustStores.forLocation(Optional.of(location));
            return Optional.empty();
        } catch (TlsConfigException e) {
            boolean directory = location.endsWith("/");
            Path path;
            try {
                path = FileNames.of(location);
            } catch (java.io.IOException bytes) {
                return Optional.of(bytes.getMessage());
            }
            Optional<String> unusable = unusable(path, directory);
            if (unusable.isPresent()) {
                return unusable;
            }
            return Optional.of(directory ? "none of its files holds a PEM certificate"
                    : "it holds no PEM certificate that can be read");
        }
    }

    /** What keeps {@code path} from being read at all; empty when it can be read. */
    private static Optional<String> unusable(Path path, boolean directory) {
        if (!Files.exists(path)) {
            try {
                // exists() is false too when a directory above may not be searched: say which it is
                Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
            } catch (java.nio.file.AccessDeniedException e) {
                return Optional.of("this user may not look at it (a directory on its path cannot be searched)");
            } catch (IOException | RuntimeException e) {
                // no such file, a link to nothing: said below
            }
            return Optional.of(Files.isSymbolicLink(path) ? "a symbolic link to nothing"
                    : directory ? "no such directory" : "no such file");
        }
        if (directory) {
            if (!Files.isDirectory(path)) {
                return Optional.of("not a directory");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                entries.iterator().hasNext();
            } catch (IOException | RuntimeException e) {
                return Optional.of("this user may not list it");
            }
            return Optional.empty();
        }
        if (Files.isDirectory(path)) {
            return Optional.of("a directory (a CA directory is written with a final '/')");
        }
        if (!Files.isRegularFile(path)) {
            return Optional.of("not a regular file");
        }
        try {
            if (Files.size(path) > TrustStores.MAX_CA_FILE) {
                return Optional.of("over 16 MiB");
            }
        } catch (IOException e) {
            return Optional.of("it cannot be read");
        }
        if (!Files.isReadable(path)) {
            return Optional.of("this user may not read it");
        }
        return Optional.empty();
    }
}
