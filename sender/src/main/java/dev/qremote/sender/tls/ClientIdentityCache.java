package dev.qremote.sender.tls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Client identities parsed from their PEM files, kept while the certificate and key files are unchanged
 * ({@link FileStamp}). The password is part of the key, so a wrong one never obtains a key read with the
 * right one. A failure is never kept. Thread-safe; callers asking for the same unchanged files get the same
 * {@link ClientIdentity} instance.
 */
final class ClientIdentityCache {
    private record Entry(List<FileStamp> stamps, ClientIdentity identity) {
    }

    private final ConcurrentHashMap<ClientCertificateFiles, Entry> entries = new ConcurrentHashMap<>();
    private final Consumer<ClientIdentity> replaced;

    /** @param replaced told of an identity that a changed file made stale */
    ClientIdentityCache(Consumer<ClientIdentity> replaced) {
        this.replaced = replaced;
    }

    ClientIdentity load(ClientCertificateFiles files) throws ClientIdentityException {
        List<FileStamp> stamps;
        try {
            stamps = stamps(files);
        } catch (IOException unreadable) {
            return files.load(); // gives the error the delivery reports
        }
        Entry cached = entries.get(files);
        if (cached != null && cached.stamps().equals(stamps)) {
            return cached.identity();
        }
        Entry fresh = new Entry(stamps, files.load());
        Entry[] stale = new Entry[1];
        Entry kept = entries.compute(files, (key, old) -> {
            if (old != null && old.stamps().equals(stamps)) {
                return old;
            }
            stale[0] = old;
            return fresh;
        });
        if (stale[0] != null && !stale[0].identity().equals(kept.identity())) {
            replaced.accept(stale[0].identity());
        }
        return kept.identity();
    }

    private static List<FileStamp> stamps(ClientCertificateFiles files) throws IOException {
        List<FileStamp> out = new ArrayList<>();
        out.add(FileStamp.of(FileNames.resolve(files.home(), files.certificate())));
        if (files.key().isPresent()) {
            out.add(FileStamp.of(FileNames.resolve(files.home(), files.key().get())));
        }
        return out;
    }
}
