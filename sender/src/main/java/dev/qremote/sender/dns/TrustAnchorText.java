package dev.qremote.sender.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Checks DNSSEC trust anchors (control/trustanchors: DS or DNSKEY records in master-file format) before any
 * query, so that a file that cannot be meant defers the message with its line named instead of failing
 * inside the first lookup. Only {@code $ORIGIN} and {@code $TTL} are followed: {@code $INCLUDE} would read
 * another file and {@code $GENERATE} make records without bound.
 */
public final class TrustAnchorText {
    private static final Pattern LINE = Pattern.compile(":(\\d+):");

    private TrustAnchorText() {
    }

    /**
     * What is wrong with {@code text} ("line N: ...", N counted from 1 as the text's lines), or empty when
     * {@link DnsjavaResolver} can load it and it holds at least one DS or DNSKEY record.
     */
    public static Optional<String> problem(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (int k = 0; k < line.length(); k++) {
                char c = line.charAt(k);
                if (c > 126 || c < 32 && c != '\t') {
                    return Optional.of("line " + (i + 1) + ": a byte that is not printable ASCII");
                }
            }
            String directive = line.strip().toUpperCase(Locale.ROOT);
            if (directive.startsWith("$") && !directive.startsWith("$ORIGIN") && !directive.startsWith("$TTL")) {
                return Optional.of("line " + (i + 1) + ": only the $ORIGIN and $TTL directives are followed");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int anchors = 0;
        try {
            Master master = new Master(new ByteArrayInputStream(bytes), Name.root, 0);
            master.disableIncludes();
            Record record;
            while ((record = master.nextRecord()) != null) {
                if (record.getType() == Type.DS || record.getType() == Type.DNSKEY) {
                    anchors++;
                }
            }
            new ValidatingResolver(new SimpleResolver(InetAddress.getLoopbackAddress()))
                    .loadTrustAnchors(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return Optional.of("line " + lineOf(e.getMessage(), lines)
                    + ": not a DS or DNSKEY record in master-file format");
        }
        return anchors == 0 ? Optional.of("no DS or DNSKEY record") : Optional.empty();
    }

    /** dnsjava's line number may be past the record at fault (it reads on to the end of it): go back to text. */
    private static int lineOf(String message, String[] lines) {
        Matcher m = LINE.matcher(message == null ? "" : message);
        int line = lines.length;
        if (m.find()) {
            try {
                line = Math.min(lines.length, Integer.parseInt(m.group(1)));
            } catch (NumberFormatException e) {
                line = lines.length;
            }
        }
        while (line > 1 && lines[line - 1].isBlank()) {
            line--;
        }
        return Math.max(1, line);
    }
}
