package dev.qremote.features;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback address 127.0.0.x drawn per test (x from 100 to 249, away from the bench's fixed 127.0.0.1-99),
 * and ports free on it: a container on the host's network listens there, so test traffic stays on loopback
 * and two tests, or two builds, rarely meet on one address.
 */
record LoopbackAddress(String address) {

    static LoopbackAddress draw() {
        return new LoopbackAddress("127.0.0." + ThreadLocalRandom.current().nextInt(100, 250));
    }

    /** A port nothing listens on at this address now (the kernel's choice; free again once returned). */
    int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return probe.getLocalPort();
        }
    }
}
