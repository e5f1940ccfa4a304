package dev.qremote.sender.machine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables qmail-remote reads. {@code QMAILHOME} moves the qmail home; the three
 * {@code QREMOTE_*} variables exist for test benches (a DNS server, SMTP and HTTPS servers on high ports, no root
 * needed) and change nothing when unset. Parsed from a map here; the front ends (cli, spawn) read the
 * environment.
 */
public record Knobs(Path qmailHome, Optional<InetSocketAddress> dnsServer, int smtpPort, int httpsPort) {
    public static final String HOME = "QMAILHOME";
    public static final String DNS = "QREMOTE_DNS";
    public static final String SMTP_PORT = "QREMOTE_SMTP_PORT";
    /** Where MTA-STS policy hosts are asked instead of port 443 (a test bench's HTTPS servers). */
    public static final String HTTPS_PORT = "QREMOTE_HTTPS_PORT";

    /** @throws IllegalArgumentException when a variable is set to something unusable (its message says which) */
    public static Knobs from(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault(HOME, "/var/qmail"));
        Optional<InetSocketAddress> dns = Optional.ofNullable(env.get(DNS)).map(Knobs::hostPort);
        int port = Optional.ofNullable(env.get(SMTP_PORT)).map(v -> port(v, SMTP_PORT)).orElse(25);
        int https = Optional.ofNullable(env.get(HTTPS_PORT)).map(v -> port(v, HTTPS_PORT)).orElse(443);
        return new Knobs(home, dns, port, https);
    }

    private static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(DNS + " must be ADDRESS:PORT");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            // "127.0.0.1:53:1" would ask a host named "127.0.0.1:53": nothing ever answers
            throw new IllegalArgumentException(DNS + " must be ADDRESS:PORT (an IPv6 address in brackets): " + value);
        }
        return new InetSocketAddress(host, port(value.substring(colon + 1), DNS));
    }

    private static int port(String value, String variable) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the clear message
        }
        throw new IllegalArgumentException(variable + ": not a port number: " + value);
    }
}
