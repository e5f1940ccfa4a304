package dev.qremote.sender.delivery;

import dev.qremote.sender.message.EnvelopeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sender and recipients as SMTP paths. A recipient whose address cannot be carried stays in its position
 * (reports follow argument order) but is never sent. The paths depend on whether the server took SMTPUTF8,
 * which is known only after EHLO.
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

    /** Whether an address needs SMTPUTF8 (RFC 6531): UTF-8 beyond ASCII. */
    boolean needsUtf8() {
        return EnvelopeAddress.needsUtf8(sender) || recipients.stream().anyMatch(EnvelopeAddress::needsUtf8);
    }

    String senderPath(boolean utf8) {
        return EnvelopeAddress.encode(sender, utf8).orElseThrow();
    }

    List<Optional<String>> recipientPaths(boolean utf8) {
        List<Optional<String>> paths = new ArrayList<>();
        for (String recipient : recipients) {
            paths.add(EnvelopeAddress.encode(recipient, utf8));
        }
        return paths;
    }

    List<String> sendable(boolean utf8) {
        List<String> out = new ArrayList<>();
        for (Optional<String> path : recipientPaths(utf8)) {
            path.ifPresent(out::add);
        }
        return out;
    }
}
