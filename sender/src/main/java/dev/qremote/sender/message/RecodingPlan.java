package dev.qremote.sender.message;

import java.io.InputStream;
import java.util.BitSet;

/**
 * Which entities of a message are recoded to quoted-printable, worked out by a first walk of the message
 * file so that the second can rewrite each header before its body. A leaf body is recoded when it has a
 * line over 998 bytes, or 8-bit bytes and the server lacks 8BITMIME, and its transfer encoding is one that
 * can be re-encoded (none, 7bit, 8bit, binary); quoted-printable or base64 content is never encoded twice.
 * Without 8BITMIME, a multipart or message/rfc822 labelled 8bit or binary around a recoded part, with no
 * 8-bit byte left in it, is relabelled 7bit. Headers are never recoded; a header line over 998 bytes is folded where it has whitespace.
 */
public final class RecodingPlan {
    /** The longest line SMTP carries, without its line end (RFC 5321 4.5.3.1.6). */
    static final int LONGEST_LINE = 998;

    private final BitSet recoded;
    private final BitSet relabelled;
    private final int parts;
    private final int foldedLines;
    private final boolean eightBit;

    private RecodingPlan(BitSet recoded, BitSet relabelled, int foldedLines, boolean eightBit) {
        this.recoded = recoded;
        this.relabelled = relabelled;
        this.parts = recoded.cardinality();
        this.foldedLines = foldedLines;
        this.eightBit = eightBit;
    }

    /**
     * Plans the recoding of a message for a server that offers 8BITMIME or not; the message is read once,
     * ahead of sending.
     */
    public static RecodingPlan of(MessageSource message, boolean eightBitMime) throws MessageReadException {
        try (InputStream in = message.open()) {
            Scan scan = new Scan(eightBitMime);
            new MimeWalker(in, scan).walk();
            return new RecodingPlan(scan.recoded, scan.relabelled, scan.foldedLines, scan.anyEightBit);
        } catch (java.io.IOException e) {
            throw new MessageReadException(e);
        }
    }

    /** Whether the message has a byte above 127 anywhere, headers included: what BODY=8BITMIME announces. */
    public boolean eightBit() {
        return eightBit;
    }

    /** How many parts are recoded. */
    public int parts() {
        return parts;
    }

    /** How many header lines over 998 bytes are folded (see {@link HeaderFolding}). */
    public int foldedLines() {
        return foldedLines;
    }

    /** Whether anything changes; if not, the message goes as it is. */
    public boolean changes() {
        return parts > 0 || foldedLines > 0;
    }

    boolean recodes(MimeEntity entity) {
        return recoded.get(entity.ordinal);
    }

    boolean relabels(MimeEntity entity) {
        return relabelled.get(entity.ordinal);
    }

    private static final class Scan implements MimeVisitor {
        private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private final boolean eightBitMime;
        private final BitSet recoded = new BitSet();
        private final BitSet relabelled = new BitSet();
        private final BitSet holdsRecoded = new BitSet();
        private final BitSet eightBitLeft = new BitSet();
        private final BitSet hasBody = new BitSet();
        private long column;
        private boolean eightBit;
        private boolean longLines;
        private boolean anyEightBit;
        private int foldedLines;

        Scan(boolean eightBitMime) {
            this.eightBitMime = eightBitMime;
        }

        @Override
        public void header(MimeEntity entity, String field, LineReader piece) {
            if (hasEightBit(piece)) { // headers are never recoded
                anyEightBit = true;
                if (entity.parent != null) {
                    eightBitLeft.set(entity.parent.ordinal); // a part's header is its parent's body
                }
            }
            if (HeaderFolding.applies(piece) && HeaderFolding.fold(piece.buffer(), piece.start(), piece.length(), null) > 0) {
                foldedLines++;
            }
        }

        @Override
        public void headerEnded(MimeEntity entity) {
            hasBody.set(entity.ordinal);
            column = 0;
            eightBit = false;
            longLines = false;
        }

        @Override
        public void body(MimeEntity leaf, LineReader piece) {
            if (piece.lineStart()) {
                column = 0;
            }
            column += piece.length();
            longLines |= column > LONGEST_LINE;
            if (!eightBit && hasEightBit(piece)) {
                eightBit = true;
                anyEightBit = true;
            }
        }

        private static boolean hasEightBit(LineReader piece) {
            byte[] b = piece.buffer();
            int i = piece.start();
            int end = piece.start() + piece.length();
            for (; i + Long.BYTES <= end; i += Long.BYTES) { // eight bytes at a time: C1 does not unroll
                if (((long) LONGS.get(b, i) & 0x8080808080808080L) != 0) {
                    return true;
                }
            }
            for (; i < end; i++) {
                if (b[i] < 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void structure(MimeEntity owner, LineReader piece) {
            if (hasEightBit(piece)) { // a preamble or epilogue, never recoded
                anyEightBit = true;
                eightBitLeft.set(owner.ordinal);
            }
        }

        @Override
        public void ended(MimeEntity entity) {
            int n = entity.ordinal;
            if (entity.kind() == MimeEntity.Kind.LEAF) {
                if (hasBody.get(n) && entity.encoding() != MimeEntity.Encoding.ENCODED
                        && (longLines || (eightBit && !eightBitMime))) {
                    recoded.set(n);
                    holdsRecoded.set(n);
                } else if (eightBit) {
                    eightBitLeft.set(n);
                }
                eightBit = false;
                longLines = false;
            } else if (holdsRecoded.get(n) && !eightBitLeft.get(n) && !eightBitMime && entity.labelledEightBit()) {
                relabelled.set(n); // all 7-bit now: the label would be untrue
            }
            if (entity.parent != null) {
                if (holdsRecoded.get(n)) {
                    holdsRecoded.set(entity.parent.ordinal);
                }
                if (eightBitLeft.get(n)) {
                    eightBitLeft.set(entity.parent.ordinal);
                }
            }
        }
    }
}
