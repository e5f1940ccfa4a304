package dev.qremote.sender.tlsrpt;

import dev.qremote.sender.attemptlog.JsonLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One SMTP session's TLS outcome, one line of the TLS reporting spool: when it began, the policy, the
 * result ("success", or a result type of RFC 8460 4.3 such as "starttls-not-supported",
 * "certificate-host-mismatch", "certificate-not-trusted", "validation-failure", "tlsa-invalid"), the sending
 * MTA's address, the MX host's name and address. Field names are those of the report (RFC 8460 4.4). No
 * secret is in it: names, addresses and public DNS data only.
 */
public record SessionOutcome(Instant time, TlsRptPolicy policy, String result, String sendingIp, String mxHost,
        String receivingIp) {
    public static final String SUCCESS = "success";

    public boolean success() {
        return SUCCESS.equals(result);
    }

    /** The spool line: one JSON object and LF, ASCII. */
    public byte[] line() {
        return new JsonLine()
                .field("time", time.toString())
                .field("policy-type", policy.type())
                .field("policy-domain", policy.domain())
                .strings("policy-string", policy.policyString())
                .strings("mx-host", policy.mxHost())
                .field("result-type", result)
                .field("sending-mta-ip", sendingIp)
                .field("receiving-mx-hostname", mxHost)
                .field("receiving-ip", receivingIp)
                .bytes();
    }

    /**
     * A spool line read back.
     *
     * @throws IllegalArgumentException when it is not such a line (a line cut short by a full disk)
     */
    public static SessionOutcome parse(String line) {
        Object value = Json.parse(line);
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        TlsRptPolicy policy = new TlsRptPolicy(text(map, "policy-type"), text(map, "policy-domain"),
                texts(map, "policy-string"), texts(map, "mx-host"));
        return new SessionOutcome(Instant.parse(text(map, "time")), policy, text(map, "result-type"),
                text(map, "sending-mta-ip"), text(map, "receiving-mx-hostname"), text(map, "receiving-ip"));
    }

    private static String text(Map<?, ?> map, String name) {
        Object value = map.get(name);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("no " + name);
        }
        return s;
    }

    private static List<String> texts(Map<?, ?> map, String name) {
        List<String> out = new ArrayList<>();
        if (map.get(name) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
