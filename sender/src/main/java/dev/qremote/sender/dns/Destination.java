package dev.qremote.sender.dns;

import java.net.InetAddress;

/**
 * One address to try: from the MX (or relay) named {@code host}, with that MX's preference.
 * {@code authentic}: the MX and address lookups were both DNSSEC-secure, so DANE may apply.
 */
public record Destination(int preference, String host, InetAddress address, boolean authentic) {
}
