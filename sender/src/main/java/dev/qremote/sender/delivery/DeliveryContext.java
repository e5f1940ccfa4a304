package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Deadline;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.settings.ControlSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Everything a delivery takes from its surroundings, so that the engine itself has no global state: the
 * qmail home, DNS, sockets, the clock behind the timeout memory, randomness for MX ties, our own addresses
 * for the loop check, and the timer that bounds socket writes.
 */
public interface DeliveryContext {

    Path qmailHome();

    /**
     * The control files for a delivery starting now; the delivery keeps what it gets. By default they are
     * read now; a long-lived context hands out a {@link ControlSnapshots} holder's current one.
     */
    default ControlSnapshot controlSnapshot() {
        return ControlSnapshot.read(qmailHome());
    }

    /**
     * The resolver to use, given what the control files ask for: each question waits at most
     * {@code timeout}, and none waits past {@code deadline} or is asked after it. A context that serves
     * many deliveries hands out views of one shared {@code DnsService} per setting ({@code DnsServices}),
     * so that answers and validated DNSSEC keys are reused.
     */
    DnsResolver resolver(Duration timeout, DnssecMode mode, String trustAnchors, Deadline deadline);

    Connector connector();

    /** A generator for one delivery (called once per delivery; it is not shared between threads). */
    RandomGenerator random();

    /** The addresses of this machine (qmail's ipme); may be a cached listing (see {@link LocalAddresses}). */
    Set<InetAddress> localAddresses() throws IOException;

    /** The timeout memory; one instance serves every delivery (it is thread-safe). */
    TimeoutMemory timeoutMemory();

    /**
     * Bounds socket reads and writes: each arms a task and cancels it, so the executor must drop cancelled
     * tasks (ScheduledThreadPoolExecutor.setRemoveOnCancelPolicy), or they pile up until they would fire.
     */
    ScheduledExecutorService timer();

    /**
     * The TCP port to connect to for a service port: the same, except that a test bench may move port 25
     * (the name of TLSA records keeps the service port) and 443 (MTA-STS policy hosts).
     */
    int connectPort(int servicePort);

    /** Whether credentials may go to {@code peer} without TLS: this machine only, unless configured. */
    default boolean mayReceiveCredentialsInClear(InetAddress peer) {
        return peer.isLoopbackAddress();
    }

    /** The clock certificates and signatures are judged by. */
    java.time.Clock clock();

    /** The shared TLS client contexts (sessions resume across deliveries), for every TLS connection. */
    dev.qremote.sender.tls.TlsContexts tlsContexts();

    /**
     * Idle SMTP sessions kept between deliveries (a resident process's, one per engine); by default none is
     * ever kept, as for a per-process qmail-remote.
     */
    default SessionCache sessionCache() {
        return SessionCache.disabled();
    }

    /**
     * MTA-STS policies kept in memory between deliveries (one per engine, shared by its deliveries); by
     * default a new one for each delivery, as for a per-process qmail-remote (control/mtastscache keeps them
     * on disk).
     */
    default dev.qremote.sender.sts.PolicyMemory stsMemory() {
        return new dev.qremote.sender.sts.PolicyMemory();
    }

    /**
     * Where the lines of control/deliverylog go; asked only when that file names a log. By default each
     * line opens and closes the file; a context that lives longer keeps one {@link AppendLog#kept()}.
     */
    default dev.qremote.sender.attemptlog.AppendLog deliveryLog() {
        return dev.qremote.sender.attemptlog.AppendLog.unkept();
    }
}
