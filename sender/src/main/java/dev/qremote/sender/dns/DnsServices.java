package dev.qremote.sender.dns;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link DnsService} for each {@link DnsSettings} a context meets: the same service (and so the same
 * cache and validated keys) as long as the settings stay the same; a change of control/timeoutdns,
 * control/dnssec, control/trustanchors or of the server gets a new one. The few most recently used are
 * kept, so that deliveries still running on an older control snapshot do not throw away the newer one's.
 *
 * <p>Thread-safe; one short lock per delivery.
 */
public final class DnsServices {
    private static final int KEPT = 4;

    private final Clock clock;
    private final Map<DnsSettings, DnsService> services = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<DnsSettings, DnsService> eldest) {
            return size() > KEPT;
        }
    };

    /** {@code clock}: when kept answers expire, and what DNSSEC signatures are judged by. */
    public DnsServices(Clock clock) {
        this.clock = clock;
    }

    /** The service for {@code settings}, made on first use. */
    public synchronized DnsService service(DnsSettings settings) {
        return services.computeIfAbsent(settings, s -> new DnsService(s, clock));
    }
}
