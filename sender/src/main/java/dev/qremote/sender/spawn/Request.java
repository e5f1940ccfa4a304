package dev.qremote.sender.spawn;

/**
 * One request from qmail-send: a delivery slot (0..255), the message path relative to queue/mess, the
 * envelope sender and one recipient, each byte as one char (ISO-8859-1), as cli keeps its arguments. A field
 * longer than the reader keeps is cut, and what C's checks of the whole field would see in the rest is kept
 * as a flag: {@code idCutNonNumeric}, a byte other than a digit or '/' past the cut of the path;
 * {@code recipientCutAt}, an '@' past the cut of the recipient. A cut sender or recipient is still longer
 * than any argument execve takes.
 */
record Request(int slot, String messageId, String sender, String recipient, boolean idCutNonNumeric,
        boolean recipientCutAt) {

    /** A request with no field cut. */
    Request(int slot, String messageId, String sender, String recipient) {
        this(slot, messageId, sender, recipient, false, false);
    }
}
