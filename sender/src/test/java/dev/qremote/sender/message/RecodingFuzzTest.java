package dev.qremote.sender.message;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qremote.sender.fuzz.FuzzedRandom;
import dev.qremote.sender.fuzz.SeededRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target "recoding": the quoted-printable recoder on random MIME messages (MimeRoundTrip's generator,
 * its choices taken from the fuzzer), checked by Jakarta Mail with and without 8BITMIME.
 */
@Tag("fuzz")
class RecodingFuzzTest {
    private static Path dir;

    @FuzzTest(maxDuration = "10m")
    void recoding(FuzzedDataProvider data) throws Exception {
        check(new FuzzedRandom(data));
    }

    @Test
    void seededPass() {
        SeededRun.run("recoding", RecodingFuzzTest::check, 1_000_000L, 150);
    }

    private static void check(RandomGenerator random) throws Exception {
        byte[] message = new MimeRoundTrip.Generator(random).message();
        MimeRoundTrip.checkRoundTrip(dir(), message, "message " + java.util.HexFormat.of().formatHex(message));
    }

    private static synchronized Path dir() throws java.io.IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("recoding-fuzz");
        }
        return dir;
    }

    @AfterAll
    static void removeDir() throws java.io.IOException {
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }
}
