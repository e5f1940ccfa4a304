package dev.qremote.sender.delivery;

import dev.qremote.sender.message.MessageSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Requests from qmail-remote's arguments (host, sender, recipients...), for tests written that way. */
final class TestRequests {
    private TestRequests() {
    }

    static DeliveryRequest of(List<String> args, InputStream message) {
        try {
            return DeliveryRequest.of(args.get(0), args.get(1), args.subList(2, args.size()),
                    MessageSource.ofBytes(message.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
