package dev.qremote.sender.routing;

import dev.qremote.sender.control.KeyedTable;
import java.util.Optional;

/**
 * s/qmail's control/domainips: {@code domain:localip[%ifname][|helohost]}, chosen by the sender's domain
 * (the domain, then each suffix starting at a dot, then "*"): the local address to connect from, and the
 * name to say in EHLO/HELO.
 */
public final class DomainIps {
    private DomainIps() {
    }

    /** The setting for mail from {@code sender}, if any. */
    public static Optional<Binding> forSender(String sender, KeyedTable table) {
        return keyFor(sender, table).flatMap(table::get).map(DomainIps::binding);
    }

    /** The key of the line that decides for {@code sender} ({@link KeyedTable#lineOf} names its line). */
    public static Optional<String> keyFor(String sender, KeyedTable table) {
        if (table.isEmpty()) {
            return Optional.empty();
        }
        int at = sender.lastIndexOf('@');
        String domain = at < 0 ? "" : sender.substring(at + 1);
        for (int i = 0; i < domain.length(); i++) {
            if ((i == 0 || domain.charAt(i) == '.') && table.get(domain.substring(i)).isPresent()) {
                return Optional.of(domain.substring(i));
            }
        }
        return table.get("*").isPresent() ? Optional.of("*") : Optional.empty();
    }

    private static Binding binding(String value) {
        int bar = value.indexOf('|');
        String address = bar < 0 ? value : value.substring(0, bar);
        Optional<String> helo = bar < 0 || bar == value.length() - 1 ? Optional.empty()
                : Optional.of(value.substring(bar + 1));
        return new Binding(address, helo);
    }

    /** A local address (with an optional "%ifname") and an optional HELO name. */
    public record Binding(String localAddress, Optional<String> heloHost) {
    }
}
