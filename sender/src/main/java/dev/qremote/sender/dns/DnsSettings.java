package dev.qremote.sender.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link DnsService} is built from; two services with equal settings answer alike, so a context
 * reuses the service while the settings stay the same.
 *
 * @param server one recursive resolver to ask (a test bench's, say), or empty for the system's
 *     ({@code /etc/resolv.conf})
 * @param timeout the longest wait for one answer (control/timeoutdns)
 * @param mode how answers become authentic (control/dnssec)
 * @param trustAnchors DS or DNSKEY records in master-file format, used when {@code mode} is VALIDATE
 */
public record DnsSettings(Optional<InetSocketAddress> server, Duration timeout, DnssecMode mode,
        String trustAnchors) {

    public DnsSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
    }

    // written out: a record's own equals and hashCode are bootstrapped through invokedynamic
    // (ObjectMethods), about 20 ms in a fresh JVM, paid by every per-process delivery
    @Override
    public boolean equals(Object other) {
        return other instanceof DnsSettings o && server.equals(o.server) && timeout.equals(o.timeout)
                && mode == o.mode && trustAnchors.equals(o.trustAnchors);
    }

    @Override
    public int hashCode() {
        return ((server.hashCode() * 31 + timeout.hashCode()) * 31 + mode.hashCode()) * 31 + trustAnchors.hashCode();
    }
}
