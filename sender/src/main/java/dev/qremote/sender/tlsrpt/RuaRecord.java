package dev.qremote.sender.tlsrpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reporting policy a domain publishes at _smtp._tls.DOMAIN (RFC 8460 3): "v=TLSRPTv1; rua=URI[,URI]".
 * Of the TXT records there, those not beginning "v=TLSRPTv1" are discarded; unless exactly one is left the
 * domain has no reporting policy. Only mailto: and https: addresses are kept (3: other schemes are ignored).
 */
public final class RuaRecord {
    private RuaRecord() {
    }

    /** The rua addresses of the one TLSRPTv1 record among {@code texts} (each a TXT record's strings joined); empty otherwise. */
    public static List<String> rua(List<String> texts) {
        List<String> policies = texts.stream().filter(t -> t.startsWith("v=TLSRPTv1")).toList();
        if (policies.size() != 1) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String field : policies.get(0).split(";")) {
            String f = field.strip();
            int eq = f.indexOf('=');
            if (eq < 0 || !f.substring(0, eq).strip().equalsIgnoreCase("rua")) {
                continue;
            }
            for (String uri : f.substring(eq + 1).split(",")) {
                String u = uri.strip();
                String lower = u.toLowerCase(Locale.ROOT);
                if (lower.startsWith("mailto:") && u.length() > 7 || lower.startsWith("https://")) {
                    out.add(u);
                }
            }
        }
        return out;
    }
}
