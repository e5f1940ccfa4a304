package dev.qremote.sender.spawn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cuts qmail-send's request stream into {@link Request}s, whatever the chunking: a slot byte, then three
 * NUL-terminated fields (message path, sender, recipient). Not thread-safe: one reader feeds it.
 */
final class RequestParser {
    private final int maxField;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private int stage;
    private int slot;
    private String messageId;
    private String sender;
    /** Of the field being read, past what is kept: a byte no digit nor '/', an '@'. */
    private boolean cutNonNumeric;
    private boolean cutAt;
    private boolean idCutNonNumeric;

    /** @param maxField the bytes kept of one field; of the rest only what C's checks would see is noted */
    RequestParser(int maxField) {
        this.maxField = maxField;
    }

    /** Takes one byte; returns the request it completes, or null. */
    Request accept(byte b) {
        if (stage == 0) {
            slot = b & 0xff;
            field.reset();
            cutNonNumeric = false;
            cutAt = false;
            stage = 1;
            return null;
        }
        if (b != 0) {
            if (field.size() < maxField) {
                field.write(b);
            } else {
                cutNonNumeric |= b != '/' && (b < '0' || b > '9');
                cutAt |= b == '@';
            }
            return null;
        }
        String text = field.toString(StandardCharsets.ISO_8859_1);
        field.reset();
        boolean nonNumeric = cutNonNumeric;
        boolean at = cutAt;
        cutNonNumeric = false;
        cutAt = false;
        switch (stage) {
            case 1 -> {
                messageId = text;
                idCutNonNumeric = nonNumeric;
                stage = 2;
                return null;
            }
            case 2 -> {
                sender = text;
                stage = 3;
                return null;
            }
            default -> {
                stage = 0;
                return new Request(slot, messageId, sender, text, idCutNonNumeric, at);
            }
        }
    }

    /** True when a request was begun and not finished (at end of input it is dropped, as in C). */
    boolean midRequest() {
        return stage != 0;
    }
}
