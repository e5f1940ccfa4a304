package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsjavaResolver;
import dev.qremote.sender.dns.DnssecMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/** A delivery context for tests: a fake DNS server, real sockets, a chosen port, a chosen idea of "me". */
final class TestContext implements DeliveryContext {
    Path home;
    InetSocketAddress dns;
    Connector connector = Connector.plain();
    Set<InetAddress> mine = Set.of();
    IOException localAddressFailure;
    int port;
    /** Where MTA-STS policy hosts are asked instead of 443. */
    int httpsPort = 443;
    /** MTA-STS policies kept across deliveries (a resident context's); null: a new memory per delivery. */
    dev.qremote.sender.sts.PolicyMemory stsMemory;
    boolean loopbackMayReceiveCredentialsInClear = true;
    /** When set, each delivery takes this holder's current snapshot; else the files are read per delivery. */
    dev.qremote.sender.settings.ControlSnapshots snapshots;
    /** When set, the resolver validates as control/dnssec and control/trustanchors say (the fuzz targets). */
    boolean dnssecAsConfigured;
    /** Idle SMTP sessions kept between deliveries; none unless a test sets a cache. */
    SessionCache sessionCache = SessionCache.disabled();
    final dev.qremote.sender.tls.TlsContexts tlsContexts = new dev.qremote.sender.tls.TlsContexts(Clock.systemUTC());
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    @Override
    public Path qmailHome() {
        return home;
    }

    @Override
    public dev.qremote.sender.settings.ControlSnapshot controlSnapshot() {
        return snapshots != null ? snapshots.current() : DeliveryContext.super.controlSnapshot();
    }

    @Override
    public DnsResolver resolver(Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline) {
        return dnssecAsConfigured ? DnsjavaResolver.at(dns, timeout, mode, trustAnchors, deadline)
                : DnsjavaResolver.at(dns, timeout, deadline);
    }

    @Override
    public Connector connector() {
        return connector;
    }

    @Override
    public RandomGenerator random() {
        return new SplittableRandom(7);
    }

    @Override
    public Set<InetAddress> localAddresses() throws IOException {
        if (localAddressFailure != null) {
            throw localAddressFailure;
        }
        return mine;
    }

    @Override
    public TimeoutMemory timeoutMemory() {
        return new TimeoutMemory(home.resolve("queue/lock/tcpto"), Clock.systemUTC(), 1);
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public int connectPort(int servicePort) {
        return servicePort == 25 ? port : servicePort == 443 ? httpsPort : servicePort;
    }

    @Override
    public boolean mayReceiveCredentialsInClear(InetAddress peer) {
        return loopbackMayReceiveCredentialsInClear && peer.isLoopbackAddress();
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public dev.qremote.sender.sts.PolicyMemory stsMemory() {
        return stsMemory != null ? stsMemory : new dev.qremote.sender.sts.PolicyMemory();
    }

    @Override
    public SessionCache sessionCache() {
        return sessionCache;
    }

    @Override
    public dev.qremote.sender.tls.TlsContexts tlsContexts() {
        return tlsContexts;
    }

    /** Holds control/deliverylog's file open across deliveries, as the front ends' context does. */
    final dev.qremote.sender.attemptlog.AppendLog deliveryLog = dev.qremote.sender.attemptlog.AppendLog.kept();

    @Override
    public dev.qremote.sender.attemptlog.AppendLog deliveryLog() {
        return deliveryLog;
    }
}
