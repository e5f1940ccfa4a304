package dev.qremote.sender.tls.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Does a certificate name a host (RFC 6125)? The subjectAltName dNSNames count; only when there are none,
 * the subject's CN (as the old qmail TLS patches did). A wildcard stands for exactly one whole leftmost
 * label, and only when wildcards are accepted ("~" in tlsdestinations); "=" wants the name itself.
 */
public final class HostnameMatcher {
    private HostnameMatcher() {
    }

    public static boolean matchesAny(X509Certificate cert, List<String> hosts, boolean wildcards) {
        List<String> presented = names(cert);
        for (String host : hosts) {
            String h = normalise(host);
            for (String p : presented) {
                if (matches(normalise(p), h, wildcards)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean matches(String presented, String host, boolean wildcards) {
        if (presented.equals(host)) {
            return true;
        }
        if (!wildcards || !presented.startsWith("*.")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(presented.substring(1)) && presented.indexOf('.', 2) > 0;
    }

    static List<String> names(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() == 2 && Integer.valueOf(2).equals(entry.get(0))) {
                        names.add((String) entry.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names
        }
        if (names.isEmpty()) {
            String dn = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (String part : dn.split(",")) {
                if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                    names.add(part.substring(3));
                }
            }
        }
        return names;
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
