package dev.qremote.sender.delivery;

import dev.qremote.sender.message.EnvelopeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sender and recipients as SMTP paths. A recipient whose address cannot be carried stays in its position
 * (reports follow argument order) but is never sent.
 */
record Envelope(String senderPath, List<Optional<String>> recipientPaths) {

    static Optional<Envelope> of(String sender, List<String> recipients) {
        Optional<String> senderPath = EnvelopeAddress.encode(sender);
        if (senderPath.isEmpty()) {
            return Optional.empty();
        }
        List<Optional<String>> paths = new ArrayList<>();
        for (String recipient : recipients) {
            paths.add(EnvelopeAddress.encode(recipient));
        }
        return Optional.of(new Envelope(senderPath.get(), List.copyOf(paths)));
    }

    List<String> sendable() {
        List<String> out = new ArrayList<>();
        for (Optional<String> path : recipientPaths) {
            path.ifPresent(out::add);
        }
        return out;
    }
}
