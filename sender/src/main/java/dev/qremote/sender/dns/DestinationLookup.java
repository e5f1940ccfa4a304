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
 * that leaves nothing, the whole lookup is temporary.
 */
public final class DestinationLookup {
    private final DnsResolver resolver;
    private final RandomGenerator random;

    public DestinationLookup(DnsResolver resolver, RandomGenerator random) {
        this.resolver = resolver;
        this.random = random;
    }

    public Destinations forDomain(String domain) throws DnsTemporaryException {
        Optional<InetAddress> literal = bracketed(domain);
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
        for (MailExchanger mx : exchangers) {
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

    /** Adds the host's IPv4 then IPv6 addresses; false when the name does not exist at all. */
    private boolean addressesOf(MailExchanger mx, boolean secureMx, List<Destination> out)
            throws DnsTemporaryException {
        DnsAnswer<InetAddress> v4 = resolver.addresses(mx.host(), false);
        if (v4 instanceof DnsAnswer.NoSuchName) {
            return false;
        }
        add(mx, v4, secureMx, out);
        try {
            add(mx, resolver.addresses(mx.host(), true), secureMx, out);
        } catch (DnsTemporaryException e) {
            if (!(v4 instanceof DnsAnswer.Found)) {
                throw e;
            }
        }
        return true;
    }

    private static void add(MailExchanger mx, DnsAnswer<InetAddress> answer, boolean secureMx, List<Destination> out) {
        if (answer instanceof DnsAnswer.Found<InetAddress> found) {
            for (InetAddress address : found.records()) {
                out.add(new Destination(mx.preference(), mx.host(), address, secureMx && found.authentic()));
            }
        }
    }

    private static Optional<InetAddress> bracketed(String host) {
        return host.startsWith("[") ? IpLiteral.parse(host) : Optional.empty();
    }

    private java.util.Random asRandom() {
        return new java.util.Random(random.nextLong());
    }
}
