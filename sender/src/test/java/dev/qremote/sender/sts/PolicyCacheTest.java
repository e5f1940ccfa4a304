package dev.qremote.sender.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy directory and memory: what is put is got back, expiry by max_age, names that cannot climb out. */
class PolicyCacheTest {
    @TempDir
    Path dir;

    private static CachedPolicy policy(String id, long maxAge) throws StsPolicyException {
        return new CachedPolicy(id, StsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.a.test\nmax_age: "
                + maxAge + "\n"), Instant.ofEpochSecond(1_000_000));
    }

    @Test
    void aPolicyWrittenIsReadBack() throws Exception {
        PolicyDirectory directory = new PolicyDirectory(dir);
        directory.put("A.test", policy("id1", 100));
        CachedPolicy back = directory.get("a.test").orElseThrow();
        assertThat(back.id()).isEqualTo("id1");
        assertThat(back.policy().mx()).containsExactly("mx.a.test");
        assertThat(back.fetched()).isEqualTo(Instant.ofEpochSecond(1_000_000));
        assertThat(back.freshAt(Instant.ofEpochSecond(1_000_099))).isTrue();
        assertThat(back.freshAt(Instant.ofEpochSecond(1_000_100))).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.test");
        }
    }

    @Test
    void namesThatCouldClimbOutAreNeitherWrittenNorRead() throws Exception {
        PolicyDirectory directory = new PolicyDirectory(dir.resolve("sub"));
        Files.createDirectories(dir.resolve("sub"));
        directory.put("../escape", policy("x", 1));
        directory.put(".hidden", policy("x", 1));
        assertThat(Files.exists(dir.resolve("escape"))).isFalse();
        assertThat(directory.get("../escape")).isEmpty();
    }

    @Test
    void aDamagedFileIsNoPolicy() throws Exception {
        Files.writeString(dir.resolve("a.test"), "id1\nnot-a-number\nversion: STSv1\n");
        assertThat(new PolicyDirectory(dir).get("a.test")).isEmpty();
    }

    @Test
    void memoryIsPerInstanceAndCaseBlind() throws Exception {
        PolicyMemory one = new PolicyMemory();
        one.put("A.Test", policy("id1", 10));
        assertThat(one.get("a.test")).isPresent();
        assertThat(new PolicyMemory().get("a.test")).isEmpty();
    }

    @Test
    void aMissingDirectoryIsMadeForTheQmailrUserOnly() throws Exception {
        // fresh8 F5: a missing directory meant no policy was ever kept
        Path missing = dir.resolve("mtastscache");
        new PolicyDirectory(missing).put("a.test", policy("id1", 100));
        assertThat(new PolicyDirectory(missing).get("a.test")).isPresent();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(missing)))
                .isEqualTo("rwx------");
    }

    @Test
    void aFileWrongInAnyWayIsNoPolicy() throws Exception {
        // fresh8 F5b: an out-of-range fetch time was read back and crashed the delivery later
        String policy = "version: STSv1\nmode: enforce\nmx: mx.a.test\nmax_age: 86400\n";
        for (String head : new String[] {"abc1\n31556889864403199\n", "abc1\n-5\n", "abc1\n+5\n",
                "abc1\n99999999999999999999\n", "\n1000\n", "a b\n1000\n", "abc1\n 1000\n"}) {
            Files.writeString(dir.resolve("a.test"), head + policy);
            assertThat(new PolicyDirectory(dir).get("a.test")).as(head).isEmpty();
        }
        Files.writeString(dir.resolve("a.test"), "abc1\n1000\n" + policy);
        assertThat(new PolicyDirectory(dir).get("a.test")).isPresent();
    }
}
