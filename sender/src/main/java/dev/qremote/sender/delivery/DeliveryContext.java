package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.DnsResolver;
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

    /** The resolver to use, given the DNS timeout the control files ask for. */
    DnsResolver resolver(Duration timeout);

    Connector connector();

    RandomGenerator random();

    /** The addresses of this machine (qmail's ipme). */
    Set<InetAddress> localAddresses() throws IOException;

    TimeoutMemory timeoutMemory();

    ScheduledExecutorService timer();

    /** The port for SMTP when no route names one: 25, unless a test bench says otherwise. */
    int smtpPort();
}
