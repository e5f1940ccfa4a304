package dev.qremote.sender.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Findings of the "control" fuzz target (ControlFilesFuzzTest), replayed with the exact control files under
 * the same oracle: a value or a typed control-file error, never an untyped exception or the
 * unexpected-failure report. The seed that found each is named.
 */
class ControlFilesRegressionTest {

    private static Map<String, byte[]> files(String... nameThenContent) {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.ISO_8859_1));
        }
        return files;
    }

    /**
     * Seed 4000009 (and issue 12 part 5): trust anchors that dnsjava cannot parse threw an
     * IllegalArgumentException out of the resolver at the first DNS question (here the MX lookup), so the
     * delivery ended as "failed unexpectedly".
     */
    @Test
    void unparsableTrustAnchorsAreAControlFileError() throws Exception {
        ControlFilesFuzzTest.check(files("me", "sender.test\n", "trustanchors", "garbage\n"), "a@sender.test",
                "b@example.test");
    }

    /**
     * Seed 4000575 with -Dfuzz.control.skip=trustanchors (and issue 12 part 5): a HELO name from domainips
     * holding a CR reached the SMTP client, whose guard threw: "failed unexpectedly (IllegalArgumentException)".
     */
    @Test
    void aDomainipsHeloNameWithACrIsAControlFileError() throws Exception {
        ControlFilesFuzzTest.check(files("me", "sender.test\n", "smtproutes", "example.test:[127.0.0.1]\n",
                "domainips", "sender.test:127.0.0.1|evil\rRSET\n"), "a@sender.test", "b@example.test");
    }

    /**
     * Seed 4000357 (same run): a domaincerts path holding a NUL made an InvalidPathException when the TLS handshake loaded
     * the certificate: "failed unexpectedly (InvalidPathException)".
     */
    @Test
    void aDomaincertsPathWithANulIsAControlFileError() throws Exception {
        ControlFilesFuzzTest.check(files("me", "sender.test\n", "smtproutes", "example.test:[127.0.0.1];s\n",
                "domaincerts", "sender.test:c\0ntrol/client.pem\n"), "a@sender.test", "b@example.test");
    }

    /**
     * Found by bin/fuzz with the control-file rework merged (input ControlFilesFuzzTestInputs/control/crash-…):
     * a relay name ending in a backslash ("relay\\") escaped the dot the resolver appends, dnsjava made a
     * relative name of it and threw RelativeNameException: "failed unexpectedly (RelativeNameException)".
     */
    @Test
    void aRelayNameEndingInABackslashIsNoUnexpectedFailure() throws Exception {
        ControlFilesFuzzTest.check(files("me", "sender.test\n", "dnssec", "off\n", "smtproutes",
                "example.test:relay.test\\\n"), "a@sender.test", "b@example.test");
    }
}
