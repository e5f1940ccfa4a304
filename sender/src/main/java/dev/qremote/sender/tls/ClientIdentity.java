package dev.qremote.sender.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client certificate chain and its key, presented when a server asks for one. */
public record ClientIdentity(List<X509Certificate> chain, PrivateKey key) {

    public ClientIdentity {
        chain = List.copyOf(chain);
    }
}
