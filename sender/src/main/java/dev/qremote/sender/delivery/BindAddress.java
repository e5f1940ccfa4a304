package dev.qremote.sender.delivery;

import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.dns.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A local address to bind, as domainips and the routes' local-address fields write it: an IPv4 or IPv6
 * literal, with "%ifname" for a link-local one. Shared by the walk and qmail-remote-check, so that the check
 * finds what a delivery would defer on.
 */
public final class BindAddress {
    private BindAddress() {
    }

    /**
     * @param written the address as the control file has it
     * @param file the control file, named in the problem
     * @throws ControlFileException when it is no literal, or names no interface of this machine
     */
    public static InetAddress parse(String written, String file) throws ControlFileException {
        String text = written;
        String scope = null;
        int percent = text.indexOf('%');
        if (percent >= 0) {
            scope = text.substring(percent + 1);
            text = text.substring(0, percent);
        }
        Optional<InetAddress> literal = IpLiteral.parse(text);
        if (literal.isEmpty()) {
            throw ControlFileException.invalid(file, "invalid local address " + written);
        }
        if (scope == null) {
            return literal.get();
        }
        try {
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(scope);
            if (nic == null) {
                throw ControlFileException.invalid(file, "no interface " + scope);
            }
            return java.net.Inet6Address.getByAddress(null, literal.get().getAddress(), nic);
        } catch (IOException e) {
            throw ControlFileException.invalid(file, "invalid local address " + written);
        }
    }

    /**
     * Whether this host can bind {@code address}, as a connection from it would (port 0, then closed at once).
     *
     * @throws ControlFileException naming the address and the system's reason when it cannot (EADDRNOTAVAIL:
     *     not an address of this host)
     */
    public static void requireBindable(InetAddress address, String file) throws ControlFileException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw ControlFileException.invalid(file, address.getHostAddress() + " is not an address of this host"
                    + " (it cannot be bound: " + e.getMessage() + ")");
        }
    }
}
