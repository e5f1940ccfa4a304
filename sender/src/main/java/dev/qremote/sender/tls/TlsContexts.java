package dev.qremote.sender.tls;

import dev.qremote.sender.dns.Tlsa;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS client set-up that all deliveries share, made once per process (or per resident service) and
 * safe for any number of threads: one SSLContext per client identity (one more for none), so that a second
 * connection to a server resumes the session of the first (TLS 1.3 PSK, TLS 1.2 session ID or ticket; the
 * JSSE client cache is keyed by peer address and port), and parsed CA stores and client identities, kept
 * while their files are unchanged.
 *
 * <p>The safety rule: a resumed session is never trusted for what it proved before. Every connection has
 * its own {@link PeerVerifier} (its policy, TLSA records and names); the shared trust manager hands a full
 * handshake's chain to it, and after a resumption {@link TlsClient} gives it the session's certificates
 * before the socket is used. So no session verified under one policy lets a connection under another skip
 * its check. Sessions of different client identities are never shared: they live in different contexts.
 * Nothing here is made before a delivery needs it, so a process that never speaks TLS pays nothing.
 */
public final class TlsContexts {
    /** Sessions kept per client identity (about 2 KB each). */
    static final int SESSION_CACHE_SIZE = 1024;
    /** How long a session may be resumed, in seconds. */
    static final int SESSION_SECONDS = 3600;

    /** Contexts kept for identities not obtained from {@link #identity}; past this, they are dropped. */
    private static final int MAX_CONTEXTS = 256;

    private final Clock clock;
    private final ConnectionTrust trust = new ConnectionTrust();
    private final TrustStoreCache trustStores = new TrustStoreCache();
    private final ConcurrentHashMap<Optional<ClientIdentity>, SSLContext> contexts = new ConcurrentHashMap<>();
    private final ClientIdentityCache identities = new ClientIdentityCache(stale -> contexts.remove(Optional.of(stale)));
    private volatile Set<String> supportedSuites;

    /** @param clock what certificates' validity and DANE are judged by */
    public TlsContexts(Clock clock) {
        this.clock = clock;
    }

    /**
     * The client certificate and key of {@code files}, parsed once while both files keep their modification
     * time, size and inode; the same instance for the same unchanged files.
     *
     * @throws ClientIdentityException when a file cannot be read or parsed, or the key does not fit
     */
    public ClientIdentity identity(ClientCertificateFiles files) throws ClientIdentityException {
        return identities.load(files);
    }

    /**
     * What the CA file or directory of {@code policy} is now (its files' stamps; nothing for the JDK's own
     * CAs): equal results mean the same trust, so a kept SMTP session may serve another delivery under it.
     * An unreadable location gives a value equal to no other.
     */
    public Object trustIdentity(TlsPolicy policy) {
        return trustStores.identity(policy.caLocation());
    }

    /**
     * The WebPKI trust MTA-STS asks for (RFC 8461 3.3, 4.2): the CAs of {@code caFile}, or the JDK's when
     * empty; cached while the file is unchanged.
     *
     * @throws TlsConfigException when the file gives no certificate
     */
    public X509TrustManager webPki(Optional<String> caFile) throws TlsConfigException {
        return trustStores.forLocation(caFile);
    }

    /**
     * A client for one connection, judged by {@code policy}.
     *
     * @param tlsa secure, usable TLSA records (DANE), or none
     * @param names the names the certificate may carry: the MX host, then the destination domain
     * @param identity the certificate to present when asked (best from {@link #identity}), or none
     * @throws TlsConfigException when the CA file or directory gives no certificate, no cipher is usable, or
     *     no TLS context can be made
     */
    public TlsClient client(TlsPolicy policy, List<Tlsa> tlsa, List<String> names, Optional<ClientIdentity> identity)
            throws TlsConfigException {
        return client(policy, tlsa, names, identity, false);
    }

    /**
     * As {@link #client(TlsPolicy, List, List, Optional)}; with {@code audit}, a certificate the policy accepts
     * unchecked is also judged against the policy's CA location (the JDK's CAs when none) and the names, and
     * what that finds is kept by the verifier without refusing anything (MTA-STS testing mode).
     */
    public TlsClient client(TlsPolicy policy, List<Tlsa> tlsa, List<String> names, Optional<ClientIdentity> identity,
            boolean audit) throws TlsConfigException {
        boolean needsCa = tlsa.isEmpty() && policy.verification() != Verification.NONE
                && policy.verification() != Verification.PINNED;
        X509TrustManager caTrust = needsCa ? trustStores.forLocation(policy.caLocation()) : null;
        X509TrustManager auditTrust = audit && tlsa.isEmpty() && policy.verification() == Verification.NONE
                ? trustStores.forLocation(policy.caLocation()) : null;
        PeerVerifier verifier = new PeerVerifier(policy, tlsa, names, caTrust, clock, auditTrust);
        SSLContext context = context(identity);
        return new TlsClient(context, trust, verifier, TlsClient.supportedCiphers(suites(context), policy.ciphers()));
    }

    private SSLContext context(Optional<ClientIdentity> identity) throws TlsConfigException {
        SSLContext context = contexts.get(identity);
        if (context != null) {
            return context;
        }
        SSLContext fresh = newContext(identity);
        if (contexts.size() >= MAX_CONTEXTS) {
            contexts.clear();
        }
        SSLContext kept = contexts.putIfAbsent(identity, fresh);
        return kept != null ? kept : fresh;
    }

    private SSLContext newContext(Optional<ClientIdentity> identity) throws TlsConfigException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity.isPresent() ? keyManagers(identity.get()) : null, new TrustManager[] {trust}, null);
            // the JDK keeps 20,480 sessions for a day: about 37 MB in a resident process; a session is worth
            // keeping while deliveries to that server come in a burst, not for a day
            context.getClientSessionContext().setSessionCacheSize(SESSION_CACHE_SIZE);
            context.getClientSessionContext().setSessionTimeout(SESSION_SECONDS);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(TlsConfigException.Kind.CONTEXT, "TLS context: " + e.getMessage());
        }
    }

    private static KeyManager[] keyManagers(ClientIdentity identity) throws GeneralSecurityException {
        char[] noPassword = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("client", identity.key(), noPassword, identity.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, noPassword);
        return factory.getKeyManagers();
    }

    /**
     * The suites of {@code wanted} this JDK supports, judged as a connection's client judges them.
     *
     * @throws TlsConfigException (CIPHERS) when JSSE names were given and none is supported: a delivery under
     *     such a list defers
     */
    public static List<String> usableCiphers(List<String> wanted) throws TlsConfigException {
        try {
            return TlsClient.supportedCiphers(Set.of(SSLContext.getDefault().getSupportedSSLParameters()
                    .getCipherSuites()), wanted);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(TlsConfigException.Kind.CONTEXT, "TLS context: " + e.getMessage());
        }
    }

    private Set<String> suites(SSLContext context) {
        Set<String> suites = supportedSuites;
        if (suites == null) {
            suites = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            supportedSuites = suites;
        }
        return suites;
    }
}
