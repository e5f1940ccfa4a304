package dev.qremote.sender.message;

import java.io.IOException;

/** What {@link MimeWalker} reports, piece by piece, in the order of the message. */
interface MimeVisitor {
    /** A piece of a header line of {@code entity}; {@code field} is the lower-case name of its field. */
    void header(MimeEntity entity, String field, LineReader piece) throws IOException;

    /** The header of {@code entity} ended (its kind is settled); the blank line comes next, as structure. */
    void headerEnded(MimeEntity entity) throws IOException;

    /** A piece of the body of a leaf. */
    void body(MimeEntity leaf, LineReader piece) throws IOException;

    /**
     * A piece of structure of {@code owner}: the blank line after its header, or, of a multipart, its
     * preamble, a delimiter, its epilogue.
     */
    void structure(MimeEntity owner, LineReader piece) throws IOException;

    /** {@code entity} ended: a delimiter of an enclosing multipart, or the end of the message, came. */
    void ended(MimeEntity entity) throws IOException;
}
