package dev.qremote.sender.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Address literals: {@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}, {@code [2001:db8::1]}, and for relays
 * the same without brackets. Parsing never touches the network.
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    public static Optional<InetAddress> parse(String text) {
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
                s = s.substring(5);
            }
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        return ipv4(s);
    }

    /**
     * A bare dotted IPv4 address ({@code 192.0.2.7}, a trailing dot allowed, as an MX target carries it),
     * four decimal numbers of at most three digits up to 255: what classic qmail's ip_scan reads whole.
     */
    public static Optional<InetAddress> dottedQuad(String text) {
        return ipv4(text.endsWith(".") ? text.substring(0, text.length() - 1) : text);
    }

    private static Optional<InetAddress> ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) v;
        }
        return byAddress(bytes);
    }

    private static Optional<InetAddress> ipv6(String s) {
        // only hex digits, colons and dots: InetAddress then parses a literal and never resolves a name
        if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> byAddress(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
