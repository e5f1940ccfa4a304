package dev.qremote.sender.spawn;

/**
 * One request from qmail-send: a delivery slot (0..255), the message path relative to queue/mess, the
 * envelope sender and one recipient, each byte as one char (ISO-8859-1), as cli keeps its arguments.
 * {@code overflowed}: a field was longer than the reader keeps, and the rest of the request is garbage
 * (C qmail-rspawn's "out of memory" case).
 */
record Request(int slot, String messageId, String sender, String recipient, boolean overflowed) {
}
