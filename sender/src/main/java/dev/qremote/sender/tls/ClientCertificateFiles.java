package dev.qremote.sender.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a client certificate and its key are (as the control file writes them; relative names are taken from
 * {@code home}), and the key's password. Printed, it never shows the password; reports name the files as
 * configured.
 */
public record ClientCertificateFiles(Path home, String certificate, Optional<String> key, Optional<String> password) {

    public ClientIdentity load() throws ClientIdentityException {
        return ClientIdentities.load(home, certificate, key, password);
    }

    @Override
    public String toString() {
        return "ClientCertificateFiles[" + certificate + key.map(k -> ", key " + k).orElse("")
                + (password.isPresent() ? ", password set" : "") + "]";
    }
}
