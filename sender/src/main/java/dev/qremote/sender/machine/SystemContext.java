package dev.qremote.sender.machine;

import dev.qremote.sender.delivery.Connector;
import dev.qremote.sender.delivery.DeliveryContext;
import dev.qremote.sender.delivery.LocalAddresses;
import dev.qremote.sender.delivery.SessionCache;
import dev.qremote.sender.delivery.TimeoutMemory;
import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsServices;
import dev.qremote.sender.dns.DnsSettings;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.settings.ControlSnapshots;
import dev.qremote.sender.tls.TlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The real machine: system DNS (or the bench's), plain sockets, the system clock, interface addresses,
 * qmail's timeout memory. Shared by both front ends: cli (one process, one delivery: the control files are
 * read once, when it starts, DeliveryContext's default) and spawn (one process, many deliveries at once: the
 * control files come from a {@link ControlSnapshots} holder that rereads them when they change).
 * Thread-safe.
 */
public final class SystemContext implements DeliveryContext {
    /** How long a listing of the interfaces' addresses serves the MX loop check. */
    private static final Duration LOCAL_ADDRESS_REFRESH = Duration.ofSeconds(60);
    private final Knobs knobs;
    private final Optional<ControlSnapshots> controls;
    private final ScheduledExecutorService timer;
    private final TimeoutMemory timeoutMemory;
    private final LocalAddresses localAddresses;
    /** One DNS service (cache, validated keys) per DNS setting, shared by every delivery of this context. */
    private final DnsServices dns = new DnsServices(Clock.systemUTC());
    /** One per process: a second connection to the same server (another MX pass, a retry) may resume. */
    private final TlsContexts tlsContexts = new TlsContexts(Clock.systemUTC());
    private final SessionCache sessions;
    /** MTA-STS policies in memory: kept for the life of this context (a resident process's deliveries). */
    private final dev.qremote.sender.sts.PolicyMemory stsMemory = new dev.qremote.sender.sts.PolicyMemory();
    /** Made at the first line (no class of the log is loaded while none is configured). */
    private volatile dev.qremote.sender.attemptlog.AppendLog deliveryLog;

    /**
     * @param controls a holder for a long-lived process; empty: the control files are read per delivery
     */
    public SystemContext(Knobs knobs, ScheduledExecutorService timer,
            Optional<ControlSnapshots> controls) {
        this(knobs, timer, controls, SessionCache.disabled());
    }

    /**
     * @param sessions where idle SMTP sessions are kept between deliveries (the resident process's; its
     *     owner closes it)
     */
    public SystemContext(Knobs knobs, ScheduledExecutorService timer, Optional<ControlSnapshots> controls,
            SessionCache sessions) {
        this.sessions = sessions;
        this.knobs = knobs;
        this.controls = controls;
        this.timer = timer;
        this.timeoutMemory = new TimeoutMemory(knobs.qmailHome().resolve("queue/lock/tcpto"), Clock.systemUTC(),
                ProcessHandle.current().pid());
        this.localAddresses = new LocalAddresses(SystemContext::interfaceAddresses, Clock.systemUTC(),
                LOCAL_ADDRESS_REFRESH);
    }

    @Override
    public Path qmailHome() {
        return knobs.qmailHome();
    }

    @Override
    public ControlSnapshot controlSnapshot() {
        return controls.map(ControlSnapshots::current).orElseGet(() -> ControlSnapshot.read(knobs.qmailHome()));
    }

    @Override
    public DnsResolver resolver(Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline) {
        return dns.service(new DnsSettings(knobs.dnsServer(), timeout, mode, trustAnchors)).resolver(deadline);
    }

    @Override
    public Connector connector() {
        return Connector.plain();
    }

    /**
     * A generator for one delivery, seeded from the thread's own: it only orders MX hosts of equal
     * preference, so no cryptographic (and slow to seed) generator is needed, and none is shared.
     */
    @Override
    public RandomGenerator random() {
        return new java.util.SplittableRandom(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    @Override
    public Set<InetAddress> localAddresses() throws IOException {
        return localAddresses.get();
    }

    private static Set<InetAddress> interfaceAddresses() throws IOException {
        Set<InetAddress> mine = new HashSet<>();
        mine.add(InetAddress.getByAddress(new byte[4]));
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            nic.inetAddresses().forEach(mine::add);
        }
        return mine;
    }

    @Override
    public TimeoutMemory timeoutMemory() {
        return timeoutMemory;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public int connectPort(int servicePort) {
        return servicePort == 25 ? knobs.smtpPort() : servicePort == 443 ? knobs.httpsPort() : servicePort;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public TlsContexts tlsContexts() {
        return tlsContexts;
    }

    @Override
    public dev.qremote.sender.sts.PolicyMemory stsMemory() {
        return stsMemory;
    }

    @Override
    public SessionCache sessionCache() {
        return sessions;
    }

    /** One per process, holding the log file open; rotation is noticed before every line. */
    @Override
    public dev.qremote.sender.attemptlog.AppendLog deliveryLog() {
        dev.qremote.sender.attemptlog.AppendLog log = deliveryLog;
        if (log == null) {
            synchronized (this) {
                log = deliveryLog;
                if (log == null) {
                    log = dev.qremote.sender.attemptlog.AppendLog.kept();
                    deliveryLog = log;
                }
            }
        }
        return log;
    }
}
