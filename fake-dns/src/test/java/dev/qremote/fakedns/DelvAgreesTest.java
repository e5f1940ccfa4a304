package dev.qremote.fakedns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real validating resolver agrees with the fake DNS: BIND's delv, given the exported trust anchor,
 * fully validates a TLSA answer and rejects a bogus one. .ci/run installs delv (Debian bind9-dnsutils);
 * where it is missing this test is skipped, visibly.
 */
@ExtendWith(FakeDnsExtension.class)
class DelvAgreesTest {
    @TempDir
    Path dir;

    private String delv(FakeDnsServer dns, Path anchors, String name, String type) throws Exception {
        Process p = new ProcessBuilder("delv", "@" + dns.address().getAddress().getHostAddress(),
                "-p", Integer.toString(dns.address().getPort()), "-a", anchors.toString(), "+root=.", "+tcp",
                name, type)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void delvValidatesATlsaAnswerWithTheExportedAnchor(FakeDnsServer dns) throws Exception {
        assumeTrue(List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, "delv"))),
                "delv is not installed (Debian package bind9-dnsutils; .ci/run installs it)");
        SignedHierarchy tree = SignedHierarchy.builder()
                .zone(FakeZone.of("secure.test.").a("mx1", "192.0.2.1").tlsa("_25._tcp.mx1", 3, 1, 1,
                        HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")),
                        Trust.SECURE)
                .zone(FakeZone.of("badsig.test.").a("mx1", "192.0.2.3"), Trust.BAD_SIGNATURE)
                .build();
        tree.serveOn(dns);
        Path anchors = dir.resolve("anchors.conf");
        Files.writeString(anchors, tree.bindTrustAnchors());

        String secure = delv(dns, anchors, "_25._tcp.mx1.secure.test", "TLSA");
        assertThat(secure).contains("; fully validated").contains("TLSA\t3 1 1 00112233");

        String bogus = delv(dns, anchors, "mx1.badsig.test", "A");
        assertThat(bogus).doesNotContain("fully validated").containsIgnoringCase("resolution failed");
    }
}
