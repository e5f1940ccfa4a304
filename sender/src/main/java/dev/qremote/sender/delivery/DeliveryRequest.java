package dev.qremote.sender.delivery;

import dev.qremote.sender.dns.Cancellation;
import dev.qremote.sender.message.MessageSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery as qmail-remote's arguments give it: the host (a domain, or the relay's name a route
 * chooses by), the envelope sender (empty for a bounce), the recipients in the order reports come back,
 * and the message. {@code deadline}, when present, ends the delivery sooner than control/timeoutdelivery
 * would; {@code cancellation} lets another thread end it (it then reports Z).
 */
public record DeliveryRequest(
        String host,
        String sender,
        List<String> recipients,
        MessageSource message,
        Optional<Instant> deadline,
        Cancellation cancellation) {

    public DeliveryRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    /** Without a deadline of its own, and cancellable through {@link #cancellation()}. */
    public static DeliveryRequest of(String host, String sender, List<String> recipients, MessageSource message) {
        return new DeliveryRequest(host, sender, recipients, message, Optional.empty(), Cancellation.create());
    }
}
