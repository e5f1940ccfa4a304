package dev.qremote.sender.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The system's recursive resolvers: the {@code nameserver} lines of resolv.conf(5), read here rather than
 * through dnsjava's process-wide ResolverConfig, which is cached once per JVM and also consults system
 * properties and JNDI. Only address literals count (a name there would need DNS to find DNS); the search
 * list and options do not matter, as every name asked is absolute. Without a usable line, the local host's
 * port 53, as the C library and dnsjava both do.
 */
final class ResolvConf {
    private static final int DNS_PORT = 53;
    /** More lines than any real file has; the file is trusted, but not to be endless. */
    private static final int MAX_SERVERS = 16;
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** Checked here: a dotted quad the JDK cannot parse (999.1.1.1) would be looked up as a host name. */
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** With a colon the JDK parses an IPv6 literal or fails; it never asks DNS. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private ResolvConf() {
    }

    /** The servers {@code file} names, in its order; an unreadable or missing file names none. */
    static List<InetSocketAddress> servers(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            lines = List.of();
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("[ \t]+");
            if (words.length >= 2 && words[0].equals("nameserver") && literal(words[1])
                    && servers.size() < MAX_SERVERS) {
                try {
                    servers.add(new InetSocketAddress(InetAddress.getByName(words[1]), DNS_PORT));
                } catch (UnknownHostException e) {
                    // not an IPv6 address after all: skipped, as the C library does
                }
            }
        }
        if (servers.isEmpty()) {
            servers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT));
        }
        return List.copyOf(servers);
    }

    private static boolean literal(String word) {
        return IPV4.matcher(word).matches() || IPV6.matcher(word).matches();
    }
}
