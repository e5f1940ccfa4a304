package dev.qremote.fakedns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fake-dns --listen ADDR:PORT --zone FILE [--zone FILE...] [--sign] [--trust-anchor-out FILE]}: serves
 * master-file zones (each starting with a {@code $ORIGIN} line) over UDP and TCP until killed. With
 * {@code --sign} every zone is signed under a generated test root, and the root's key is written to the
 * trust-anchor file as a BIND {@code trust-anchors} clause (for {@code delv -a}) followed by the DNSKEY
 * record as a comment-free master-file line in FILE.dnskey (for dnsjava and others).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String listen = "127.0.0.1:5353";
        List<Path> zones = new ArrayList<>();
        boolean sign = false;
        Path anchorOut = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = value(args, ++i);
                case "--zone" -> zones.add(Path.of(value(args, ++i)));
                case "--sign" -> sign = true;
                case "--trust-anchor-out" -> anchorOut = Path.of(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            usage("--listen needs ADDR:PORT");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        FakeDnsServer server = FakeDnsServer.start(InetAddress.getByName(host),
                Integer.parseInt(listen.substring(colon + 1)));
        long start = System.nanoTime();
        if (sign) {
            SignedHierarchy.Builder tree = SignedHierarchy.builder();
            for (Path file : zones) {
                tree.zone(load(file), Trust.SECURE);
            }
            SignedHierarchy signed = tree.build();
            signed.serveOn(server);
            if (anchorOut != null) {
                Files.writeString(anchorOut, signed.bindTrustAnchors());
                Files.writeString(Path.of(anchorOut + ".dnskey"), signed.trustAnchor());
            }
            System.out.printf("signed %d zone(s) under a test root in %d ms%n", zones.size(),
                    (System.nanoTime() - start) / 1_000_000);
        } else {
            for (Path file : zones) {
                server.zone(load(file));
            }
        }
        System.out.println("fake-dns listening on " + server.address().getAddress().getHostAddress() + ":" + server.address().getPort() + " (udp and tcp), "
                + zones.size() + " zone(s)");
        Thread.currentThread().join();
    }

    static FakeZone load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("$ORIGIN")) {
                return FakeZone.parse(t.substring(7).trim(), text);
            }
        }
        throw new IOException(file + ": a zone file must start with a $ORIGIN line");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage("missing value after " + args[i - 1]);
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("fake-dns: " + problem);
        System.err.println("usage: fake-dns --listen ADDR:PORT --zone FILE [--zone FILE...] [--sign]"
                + " [--trust-anchor-out FILE]");
        System.exit(2);
    }
}
