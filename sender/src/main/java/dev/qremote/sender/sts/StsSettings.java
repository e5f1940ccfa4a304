package dev.qremote.sender.sts;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The MTA-STS control files: control/mtasts ("on" turns MTA-STS on; absent, empty or "off": off),
 * control/mtastscache (a directory for policies, from the qmail home when relative; absent: memory only),
 * control/mtastscafile (a PEM file of the CAs policy hosts and MX hosts under a policy must chain to;
 * absent: the JDK's), and control/tlsrequired ("ignore": a TLS-Required: No header changes nothing;
 * absent, empty or "honour": it waives MTA-STS and DANE, RFC 8689 5).
 */
public record StsSettings(boolean enabled, Optional<Path> cacheDirectory, Optional<String> caFile,
        boolean honourTlsRequiredNo) {

    /** MTA-STS off, TLS-Required: No honoured. */
    public static StsSettings off() {
        return new StsSettings(false, Optional.empty(), Optional.empty(), true);
    }
}
