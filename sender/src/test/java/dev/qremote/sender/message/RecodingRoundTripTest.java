package dev.qremote.sender.message;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random MIME messages recoded for a server without 8BITMIME and for one with it, then read by Jakarta Mail:
 * every part must decode to what was sent, every line must fit SMTP, and without 8BITMIME no 8-bit byte may
 * be left. Seeded, so a failure names the message that broke. RecodingFuzzTest runs the same property longer.
 */
class RecodingRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void randomMessagesDecodeToWhatWasSent() throws Exception {
        for (int seed = 0; seed < 300; seed++) {
            byte[] message = new MimeRoundTrip.Generator(new SplittableRandom(seed)).message();
            MimeRoundTrip.checkRoundTrip(dir, message, "message of seed " + seed);
        }
    }
}
