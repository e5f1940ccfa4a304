package dev.qremote.sender.cli;

import dev.qremote.sender.delivery.Connector;
import dev.qremote.sender.delivery.DeliveryContext;
import dev.qremote.sender.delivery.TimeoutMemory;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsjavaResolver;
import dev.qremote.sender.dns.DnssecMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The real machine: system DNS (or the bench's), plain sockets, the system clock, interface addresses. One
 * process, one delivery: the control files are read once, when it starts (DeliveryContext's default).
 */
final class SystemContext implements DeliveryContext {
    private final Knobs knobs;
    private final ScheduledExecutorService timer;
    /** Only orders MX hosts of equal preference: no need for a cryptographic (and slow to seed) generator. */
    private final RandomGenerator random = new java.util.SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid() << 16);

    SystemContext(Knobs knobs, ScheduledExecutorService timer) {
        this.knobs = knobs;
        this.timer = timer;
    }

    @Override
    public Path qmailHome() {
        return knobs.qmailHome();
    }

    @Override
    public Path tempDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public DnsResolver resolver(Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline) {
        return knobs.dnsServer()
                .map(server -> DnsjavaResolver.at(server, timeout, mode, trustAnchors, deadline))
                .orElseGet(() -> DnsjavaResolver.system(timeout, mode, trustAnchors, deadline));
    }

    @Override
    public Connector connector() {
        return Connector.plain();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Set<InetAddress> localAddresses() throws IOException {
        Set<InetAddress> mine = new HashSet<>();
        mine.add(InetAddress.getByAddress(new byte[4]));
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            nic.inetAddresses().forEach(mine::add);
        }
        return mine;
    }

    @Override
    public TimeoutMemory timeoutMemory() {
        return new TimeoutMemory(knobs.qmailHome().resolve("queue/lock/tcpto"), Clock.systemUTC(),
                ProcessHandle.current().pid());
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public int connectPort(int servicePort) {
        return servicePort == 25 ? knobs.smtpPort() : servicePort;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
