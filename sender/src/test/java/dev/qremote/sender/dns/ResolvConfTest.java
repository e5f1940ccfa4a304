package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system's resolvers, read from resolv.conf without dnsjava's process-wide configuration. */
class ResolvConfTest {

    @Test
    void nameserverLinesInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "# comment\n; nameserver 192.0.2.99\nsearch example.test\n"
                + "nameserver 192.0.2.1\n  nameserver\t2001:db8::53  \noptions ndots:3\n"
                + "nameserver dns.example.test\nnameserver 999.1.1.1\nnameserver 192.0.2.2 # trailing\n");
        assertThat(ResolvConf.servers(file)).containsExactly(
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53),
                new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 53),
                new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 53));
    }

    @Test
    void noUsableLineOrNoFileMeansThisHost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "search example.test\nnameserver resolver.example.test\n");
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);
        assertThat(ResolvConf.servers(file)).containsExactly(local);
        assertThat(ResolvConf.servers(dir.resolve("missing"))).containsExactly(local);
    }
}
