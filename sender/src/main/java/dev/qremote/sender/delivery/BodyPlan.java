package dev.qremote.sender.delivery;

import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.MessageTraits;
import dev.qremote.sender.message.RecodedMessage;
import dev.qremote.sender.message.RecodingPlan;
import dev.qremote.sender.transport.smtp.Extensions;
import java.io.InputStream;
import java.util.Optional;

/**
 * How the message body goes to one server: in BDAT chunks or after DATA, announced with BODY=8BITMIME or
 * not, recoded to quoted-printable or as it is. Decided from what the server offers and one read of the
 * message file ahead of MAIL; a message that cannot be read ahead goes as it is, and sending it meets the
 * same error where classic qmail does.
 */
record BodyPlan(String bodyParameter, boolean chunking, Optional<RecodingPlan> recoding) {

    static BodyPlan of(InputStream message, Extensions extensions, int chunkSize) {
        boolean chunking = chunkSize > 0 && extensions.has("CHUNKING");
        boolean eightBitMime = extensions.has("8BITMIME");
        if (chunking && !eightBitMime) {
            return new BodyPlan("", true, Optional.empty()); // BDAT counts octets: sent as it is, as Qsmtp does
        }
        try {
            Optional<MessageTraits> traits = MessageTraits.of(message); // empty for a pipe: sent as it is
            String body = eightBitMime && traits.map(MessageTraits::eightBit).orElse(false) ? " BODY=8BITMIME" : "";
            Optional<RecodingPlan> recoding = !chunking && traits.map(t -> t.needRecoding(eightBitMime)).orElse(false)
                    ? RecodingPlan.of(message, eightBitMime).filter(plan -> plan.parts() > 0)
                    : Optional.empty();
            return new BodyPlan(body, chunking, recoding);
        } catch (MessageReadException e) {
            return new BodyPlan("", chunking, Optional.empty());
        }
    }

    /** What goes after DATA. */
    InputStream content(InputStream message) {
        return recoding.<InputStream>map(plan -> new RecodedMessage(message, plan)).orElse(message);
    }
}
