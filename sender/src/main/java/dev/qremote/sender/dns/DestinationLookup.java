package dev.qremote.sender.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Finds the addresses to try for a host (RFC 5321 5.1): MX records by preference with equal preferences
 * shuffled, the host's own addresses when it has no MX (implicit MX), a null MX as "accepts no mail"; for a
 * relay, just its addresses. An MX host whose lookup fails temporarily is skipped while others work; if
 * that leaves nothing, the whole lookup is temporary. A name that is a dotted IPv4 address (an MX target
 * {@code 192.0.2.7.}, or the host itself) is that address, without DNS, as classic qmail's dns_ipplus
 * takes it. What is taken from DNS is capped by {@link LookupLimits}.
 */
public final class DestinationLookup {
    private final DnsResolver resolver;
    private final RandomGenerator random;
    private final LookupLimits limits;

    public DestinationLookup(DnsResolver resolver, RandomGenerator random) {
        this(resolver, random, LookupLimits.DEFAULT);
    }

    public DestinationLookup(DnsResolver resolver, RandomGenerator random, LookupLimits limits) {
        this.resolver = resolver;
        this.random = random;
        this.limits = limits;
    }

    public Destinations forDomain(String domain) throws DnsTemporaryException {
        Optional<InetAddress> literal = bracketed(domain).or(() -> IpLiteral.dottedQuad(domain));
        if (literal.isPresent()) {
            return new Destinations.Found(List.of(new Destination(0, domain, literal.get(), false)));
        }
        DnsAnswer<MailExchanger> mx = resolver.mx(domain);
        if (mx instanceof DnsAnswer.NoSuchName) {
            return new Destinations.NoSuchHost(domain);
        }
        if (mx instanceof DnsAnswer.Found<MailExchanger> found) {
            return fromExchangers(domain, found.records(), found.authentic());
        }
        return forHost(domain, mx.authentic());
    }

    public Destinations forRelay(String relay) throws DnsTemporaryException {
        Optional<InetAddress> literal = IpLiteral.parse(relay);
        if (literal.isPresent()) {
            return new Destinations.Found(List.of(new Destination(0, relay, literal.get(), false)));
        }
        return forHost(relay, true);
    }

    /** The host's own addresses; {@code secureSoFar}: whether what led here (the empty MX answer) was secure. */
    private Destinations forHost(String host, boolean secureSoFar) throws DnsTemporaryException {
        List<Destination> out = new ArrayList<>();
        boolean exists = addressesOf(new MailExchanger(0, host), secureSoFar, out);
        if (!exists) {
            return new Destinations.NoSuchHost(host);
        }
        return out.isEmpty() ? new Destinations.NoAddress() : new Destinations.Found(out);
    }

    private Destinations fromExchangers(String domain, List<MailExchanger> records, boolean secureMx)
            throws DnsTemporaryException {
        List<MailExchanger> exchangers = new ArrayList<>();
        for (MailExchanger mx : records) {
            if (!mx.isNull()) {
                exchangers.add(mx);
            }
        }
        if (exchangers.isEmpty()) {
            return new Destinations.NullMx(domain);
        }
        Collections.shuffle(exchangers, asRandom());
        exchangers.sort(Comparator.comparingInt(MailExchanger::preference));
        List<Destination> out = new ArrayList<>();
        DnsTemporaryException soft = null;
        for (MailExchanger mx : exchangers.subList(0, Math.min(exchangers.size(), limits.exchangers()))) {
            if (out.size() >= limits.addresses()) {
                break;
            }
            try {
                addressesOf(mx, secureMx, out);
            } catch (DnsTemporaryException e) {
                soft = e;
            }
        }
        if (out.isEmpty() && soft != null) {
            throw soft;
        }
        return out.isEmpty() ? new Destinations.NoAddress() : new Destinations.Found(out);
    }

    /**
     * Adds the host's IPv4 then IPv6 addresses, within the limits (no AAAA question when IPv4 filled them);
     * false when the name does not exist at all.
     */
    private boolean addressesOf(MailExchanger mx, boolean secureMx, List<Destination> out)
            throws DnsTemporaryException {
        Optional<InetAddress> dotted = IpLiteral.dottedQuad(mx.host());
        if (dotted.isPresent()) {
            out.add(new Destination(mx.preference(), mx.host(), dotted.get(), false));
            return true;
        }
        int room = Math.min(limits.addressesPerHost(), limits.addresses() - out.size());
        DnsAnswer<InetAddress> v4 = resolver.addresses(mx.host(), false);
        if (v4 instanceof DnsAnswer.NoSuchName) {
            return false;
        }
        room -= add(mx, v4, secureMx, room, out);
        if (room <= 0) {
            return true;
        }
        try {
            add(mx, resolver.addresses(mx.host(), true), secureMx, room, out);
        } catch (DnsTemporaryException e) {
            if (!(v4 instanceof DnsAnswer.Found)) {
                throw e;
            }
        }
        return true;
    }

    /** Adds at most {@code room} addresses of the answer; how many were added. */
    private static int add(MailExchanger mx, DnsAnswer<InetAddress> answer, boolean secureMx, int room,
            List<Destination> out) {
        int added = 0;
        if (answer instanceof DnsAnswer.Found<InetAddress> found) {
            for (InetAddress address : found.records()) {
                if (added == room) {
                    break;
                }
                out.add(new Destination(mx.preference(), mx.host(), address, secureMx && found.authentic()));
                added++;
            }
        }
        return added;
    }

    private static Optional<InetAddress> bracketed(String host) {
        return host.startsWith("[") ? IpLiteral.parse(host) : Optional.empty();
    }

    private java.util.Random asRandom() {
        return new java.util.Random(random.nextLong());
    }
}
