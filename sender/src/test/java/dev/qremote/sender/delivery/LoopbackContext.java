package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsServices;
import dev.qremote.sender.dns.DnsSettings;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.tls.TlsContexts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * A context made once and shared by every delivery of a test or benchmark, as a resident process would
 * share its own: one timer, one timeout memory, one DNS service per setting asking one fake DNS server
 * (validating as control/dnssec says when {@code validate}, else DNSSEC off), one set of TLS contexts
 * (sessions resume), no local addresses. Port 25 goes to {@link #smtpPort(int)}; routes name their
 * own ports. Thread-safe: its only mutable field is volatile and set between runs.
 */
public final class LoopbackContext implements DeliveryContext, AutoCloseable {
    /** The name of the timer's thread, so thread counts can tell it apart. */
    public static final String TIMER_THREAD = "loopback-context-timer";

    private final Path home;
    private final InetSocketAddress dns;
    private final boolean validate;
    private final TimeoutMemory timeoutMemory;
    private final ScheduledExecutorService timer;
    private final Connector connector = Connector.plain();
    private final DnsServices dnsServices = new DnsServices(Clock.systemUTC());
    private final TlsContexts tlsContexts = new TlsContexts(Clock.systemUTC());
    private final boolean tlsPerDelivery;
    private volatile int smtpPort = 25;
    private volatile SessionCache sessionCache = SessionCache.disabled();
    private volatile dev.qremote.sender.settings.ControlSnapshots snapshots;

    public LoopbackContext(Path home, InetSocketAddress dns, boolean validate) {
        this(home, dns, validate, false);
    }

    /**
     * @param tlsPerDelivery a new {@link TlsContexts} for every delivery, so that no TLS session is resumed
     *     (a benchmark's "without resumption")
     */
    public LoopbackContext(Path home, InetSocketAddress dns, boolean validate, boolean tlsPerDelivery) {
        this.tlsPerDelivery = tlsPerDelivery;
        this.home = home;
        this.dns = dns;
        this.validate = validate;
        this.timeoutMemory = new TimeoutMemory(home.resolve("queue/lock/tcpto"), Clock.systemUTC(), 1);
        // as a resident process takes them: read once, again only when a file changes
        this.snapshots = new dev.qremote.sender.settings.ControlSnapshots(home, Clock.systemUTC(),
                dev.qremote.sender.settings.ControlSnapshots.DEFAULT_RECHECK);
        // as the front ends' (without dropping cancelled timeouts, ManyDeliveriesTest saw 8 MB pile up)
        this.timer = dev.qremote.sender.machine.TimeoutTimers.create(TIMER_THREAD);
    }

    /** Keeps idle SMTP sessions in {@code cache} from now on (as the resident process does); the caller closes it. */
    public void sessionCache(SessionCache cache) {
        sessionCache = cache;
    }

    @Override
    public SessionCache sessionCache() {
        return sessionCache;
    }

    /** Where connections to port 25 (mail exchangers found by MX) go. */
    public void smtpPort(int port) {
        smtpPort = port;
    }

    @Override
    public Path qmailHome() {
        return home;
    }

    /** A test rewrote control files and wants the next delivery to read them, not after the recheck interval. */
    public void controlFilesChanged() {
        snapshots = new dev.qremote.sender.settings.ControlSnapshots(home, Clock.systemUTC(),
                dev.qremote.sender.settings.ControlSnapshots.DEFAULT_RECHECK);
    }

    @Override
    public dev.qremote.sender.settings.ControlSnapshot controlSnapshot() {
        return snapshots.current();
    }

    @Override
    public DnsResolver resolver(java.time.Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline) {
        return dnsServices.service(new DnsSettings(Optional.of(dns), timeout, validate ? mode : DnssecMode.OFF,
                trustAnchors)).resolver(deadline);
    }

    @Override
    public Connector connector() {
        return connector;
    }

    /** Fixed seed: the scenarios have no MX ties, and a report must not depend on chance. */
    @Override
    public RandomGenerator random() {
        return new SplittableRandom(7);
    }

    @Override
    public Set<InetAddress> localAddresses() {
        return Set.of();
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
        return servicePort == DeliveryEngine.SMTP_PORT ? smtpPort : servicePort;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** The shared contexts (sessions resume across deliveries), or new ones each time when so made. */
    @Override
    public TlsContexts tlsContexts() {
        return tlsPerDelivery ? new TlsContexts(Clock.systemUTC()) : tlsContexts;
    }

    /** Stops the timer's thread. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
