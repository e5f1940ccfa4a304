package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.ALabels;
import dev.qremote.sender.message.EnvelopeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sender and recipients as SMTP paths. A recipient whose address cannot be carried stays in its position
 * (reports follow argument order) but is never sent. The paths depend on whether the server took SMTPUTF8,
 * which is known only after EHLO. Without it, an internationalised domain goes as A-labels (RFC 5890, the
 * form DNS was asked in): only a UTF-8 local part, which has no ASCII form, needs SMTPUTF8.
 */
record Envelope(String sender, List<String> recipients) {

    Envelope {
        recipients = List.copyOf(recipients);
    }

    /** Empty when the sender has bytes no SMTP command may carry. */
    static Optional<Envelope> of(String sender, List<String> recipients) {
        return EnvelopeAddress.encode(sender).isPresent() ? Optional.of(new Envelope(sender, recipients))
                : Optional.empty();
    }

    /**
     * Whether an address needs SMTPUTF8 (RFC 6531): a local part of UTF-8 beyond ASCII, or a UTF-8 domain
     * that has no A-label form.
     */
    boolean needsUtf8() {
        return needsUtf8(sender) || recipients.stream().anyMatch(Envelope::needsUtf8);
    }

    String senderPath(boolean utf8) {
        return path(sender, utf8).orElseThrow();
    }

    List<Optional<String>> recipientPaths(boolean utf8) {
        List<Optional<String>> paths = new ArrayList<>();
        for (String recipient : recipients) {
            paths.add(path(recipient, utf8));
        }
        return paths;
    }

    private static boolean needsUtf8(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return EnvelopeAddress.needsUtf8(address);
        }
        String domain = address.substring(at + 1);
        return EnvelopeAddress.needsUtf8(address.substring(0, at))
                || EnvelopeAddress.needsUtf8(domain) && ALabels.of(domain).isEmpty();
    }

    /** With SMTPUTF8 the address as given (as before A-labels were used); without it, its domain as A-labels. */
    private static Optional<String> path(String address, boolean utf8) {
        int at = address.lastIndexOf('@');
        if (utf8 || at < 0 || !EnvelopeAddress.needsUtf8(address.substring(at + 1))) {
            return EnvelopeAddress.encode(address, utf8);
        }
        String ascii = ALabels.of(address.substring(at + 1)).orElse(address.substring(at + 1));
        return EnvelopeAddress.encode(address.substring(0, at + 1) + ascii, false);
    }

    List<String> sendable(boolean utf8) {
        List<String> out = new ArrayList<>();
        for (Optional<String> path : recipientPaths(utf8)) {
            path.ifPresent(out::add);
        }
        return out;
    }
}
