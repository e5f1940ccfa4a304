package dev.qremote.sender.sts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Policies kept on disk across deliveries and processes: one file per policy domain in the directory
 * control/mtastscache names, written to a temporary file and renamed, so a reader sees a whole policy or
 * the old one. The file: the id line, the fetch time in epoch seconds, then the policy as fetched. A file
 * that cannot be read or parsed is no policy; one that cannot be written is passed by (the delivery goes on).
 * A missing directory is made on the first write.
 */
public final class PolicyDirectory {
    /** RFC 8461 3.1's id, as the TXT record gives it. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9]{1,32}");
    /** Epoch seconds as written: digits only, and few enough to be a time Instant can hold. */
    private static final java.util.regex.Pattern SECONDS = java.util.regex.Pattern.compile("[0-9]{1,12}");

    private final Path directory;

    public PolicyDirectory(Path directory) {
        this.directory = directory;
    }

    public Optional<CachedPolicy> get(String domain) {
        Optional<Path> file = file(domain);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        try {
            if (Files.size(file.get()) > PolicyFetcher.MAX_BODY + 256) {
                return Optional.empty();
            }
            String text = Files.readString(file.get(), StandardCharsets.UTF_8);
            int first = text.indexOf('\n');
            int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
            if (second < 0) {
                return Optional.empty();
            }
            String id = text.substring(0, first);
            String seconds = text.substring(first + 1, second);
            if (!ID.matcher(id).matches() || !SECONDS.matcher(seconds).matches()) {
                return Optional.empty();
            }
            Instant fetched = Instant.ofEpochSecond(Long.parseLong(seconds));
            return Optional.of(new CachedPolicy(id, StsPolicy.parse(text.substring(second + 1)), fetched));
        } catch (IOException | RuntimeException | StsPolicyException e) {
            return Optional.empty();
        }
    }

    public void put(String domain, CachedPolicy policy) {
        Optional<Path> file = file(domain);
        if (file.isEmpty()) {
            return;
        }
        Path temporary = null;
        try {
            if (!Files.isDirectory(directory)) {
                makeDirectory();
            }
            temporary = Files.createTempFile(directory, ".new-", "");
            Files.writeString(temporary, policy.id() + "\n" + policy.fetched().getEpochSecond() + "\n"
                    + policy.policy().text(), StandardCharsets.UTF_8);
            Files.move(temporary, file.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // nothing more to do: the cache only saves fetches
                }
            }
        }
    }

    /**
     * A missing directory is made (and its missing parents), mode 0700 where the file system has modes: the
     * user qmail-remote runs as (qmailr) is the only one that reads and writes it.
     */
    private void makeDirectory() throws IOException {
        try {
            Files.createDirectories(directory, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory);
        }
    }

    /** A domain from DNS becomes a file name only when it cannot climb out of the directory. */
    private Optional<Path> file(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.startsWith(".") || name.length() > 253
                || !name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(name));
    }
}
