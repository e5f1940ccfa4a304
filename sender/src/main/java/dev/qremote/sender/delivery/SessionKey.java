package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Tlsa;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a kept SMTP session must share with a delivery to be used for it: the peer and the TCP port
 * connected to, the TLS plan it was set up under (a plaintext retry's is {@code plan.withoutTls()}) and the
 * CA files' state then ({@code trust}: a replaced CA file is new trust), whether TLS is on, the HELO name, the
 * local address bound, and the AUTH identity. Equality is written by hand:
 * TLSA data are arrays (a record would compare them by identity), and no record bootstrap is paid for.
 * Printed, the AUTH secret never shows (AuthPlan hides it).
 */
final class SessionKey {
    private final InetAddress peer;
    private final int port;
    private final TlsPlan plan;
    private final boolean tls;
    private final String helo;
    private final Optional<InetAddress> local;
    private final Optional<AuthPlan> auth;
    private final Object trust;
    private final int hash;

    SessionKey(InetAddress peer, int port, TlsPlan plan, Object trust, boolean tls, String helo,
            Optional<InetAddress> local, Optional<AuthPlan> auth) {
        this.trust = trust;
        this.peer = peer;
        this.port = port;
        this.plan = plan;
        this.tls = tls;
        this.helo = helo;
        this.local = local;
        this.auth = auth;
        this.hash = Objects.hash(peer, port, tls, helo, plan.mxHost(), plan.destination(), plan.implicit());
    }

    /** The peer's address. */
    InetAddress peer() {
        return peer;
    }

    /** The same key for a session with TLS on or off. */
    SessionKey withTls(boolean on) {
        return on == tls ? this : new SessionKey(peer, port, plan, trust, on, helo, local, auth);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionKey k)) {
            return false;
        }
        return hash == k.hash && port == k.port && tls == k.tls && peer.equals(k.peer) && helo.equals(k.helo)
                && local.equals(k.local) && auth.equals(k.auth) && samePlan(plan, k.plan) && trust.equals(k.trust);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return peer.getHostAddress() + ":" + port + (tls ? " TLS " : " plain ") + helo
                + local.map(a -> " from " + a.getHostAddress()).orElse("") + auth.map(a -> " " + a).orElse("");
    }

    private static boolean samePlan(TlsPlan a, TlsPlan b) {
        return a.daneRequired() == b.daneRequired() && a.implicit() == b.implicit()
                && a.servicePort() == b.servicePort() && a.opportunisticFallback() == b.opportunisticFallback()
                && a.mxHost().equals(b.mxHost()) && a.destination().equals(b.destination())
                && a.policy().equals(b.policy()) && a.clientCertificate().equals(b.clientCertificate())
                && sameTlsa(a.tlsa(), b.tlsa());
    }

    private static boolean sameTlsa(List<Tlsa> a, List<Tlsa> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Tlsa x = a.get(i);
            Tlsa y = b.get(i);
            if (x.usage() != y.usage() || x.selector() != y.selector() || x.matchingType() != y.matchingType()
                    || !Arrays.equals(x.data(), y.data())) {
                return false;
            }
        }
        return true;
    }
}
