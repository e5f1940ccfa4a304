package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.tls.ClientCertificateFiles;
import dev.qremote.sender.tls.TlsMode;
import dev.qremote.sender.tls.TlsPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What TLS one connection must do: the tlsdestinations policy, the DANE state (a secure TLSA set makes TLS
 * mandatory; its usable records decide the certificate), TLS from the first byte or STARTTLS, and the names
 * involved (the MX host, for SNI and name checks; the destination, for reports and DANE-TA), what MTA-STS or
 * a TLS-Required: No header made of it ({@link Enforcement}), and whether an MTA-STS policy lists the MX.
 */
public record TlsPlan(TlsPolicy policy, boolean daneRequired, List<Tlsa> tlsa, boolean implicit, int servicePort,
        String mxHost, String destination, Optional<ClientCertificateFiles> clientCertificate,
        boolean opportunisticFallback, Enforcement enforcement, boolean mxListed) {

    public TlsPlan {
        tlsa = List.copyOf(tlsa);
    }

    /** A plan nothing beyond its policy and DANE enforces. */
    public TlsPlan(TlsPolicy policy, boolean daneRequired, List<Tlsa> tlsa, boolean implicit, int servicePort,
            String mxHost, String destination, Optional<ClientCertificateFiles> clientCertificate,
            boolean opportunisticFallback) {
        this(policy, daneRequired, tlsa, implicit, servicePort, mxHost, destination, clientCertificate,
                opportunisticFallback, Enforcement.NONE, true);
    }

    public boolean mandatory() {
        return policy.mode() == TlsMode.MANDATORY || daneRequired || implicit;
    }

    /**
     * Whether a TLS failure before MAIL FROM may be followed by plaintext on a new connection (RFC 7435):
     * never where TLS is mandatory (a rule, tlshosts, DANE, TLS from the first byte); always for "?"; for
     * opportunistic TLS unless control/tlsfallback says "defer" (s/qmail's way).
     */
    public boolean plaintextRetry() {
        if (mandatory()) {
            return false;
        }
        return policy.mode() == TlsMode.RELAXED || policy.mode() == TlsMode.OPPORTUNISTIC && opportunisticFallback;
    }

    public boolean never() {
        return policy.mode() == TlsMode.NEVER && !daneRequired && !implicit;
    }

    /** The names a certificate may carry: the MX host, and for DANE also the destination (RFC 7672 3.2.3). */
    List<String> names() {
        return daneRequired && !destination.equalsIgnoreCase(mxHost) ? List.of(mxHost, destination) : List.of(mxHost);
    }

    /**
     * The TLS client for a connection under this plan: the one place it is made (a delivery's TlsSetup,
     * and qmail-remote-check, which makes it to see whether a delivery could).
     *
     * @throws dev.qremote.sender.tls.TlsConfigException when the CA file or directory gives no certificate,
     *     no cipher is usable, or no TLS context can be made
     */
    public dev.qremote.sender.tls.TlsClient client(dev.qremote.sender.tls.TlsContexts contexts,
            Optional<dev.qremote.sender.tls.ClientIdentity> identity) throws dev.qremote.sender.tls.TlsConfigException {
        return contexts.client(policy, tlsa, names(), identity, enforcement == Enforcement.STS_TESTING);
    }

    /** The same plan with TLS from the first byte (a route written with s/qmail's "s" port). */
    public TlsPlan implicitTls() {
        return new TlsPlan(policy, daneRequired, tlsa, true, servicePort, mxHost, destination, clientCertificate,
                opportunisticFallback, enforcement, mxListed);
    }

    /** The same connection without TLS: the plaintext retry after a TLS failure (see plaintextRetry). */
    TlsPlan withoutTls() {
        TlsPolicy never = policy.toBuilder().mode(TlsMode.NEVER).implicitTls(false).daneAllowed(false).build();
        return new TlsPlan(never, false, List.of(), false, servicePort, mxHost, destination, Optional.empty(), false,
                enforcement, mxListed);
    }
}
