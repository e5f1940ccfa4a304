package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The message with the parts its {@link RecodingPlan} names recoded to quoted-printable, read as a stream:
 * each recoded part gets "Content-Transfer-Encoding: quoted-printable" in place of its own (and a message,
 * top-level or forwarded, "MIME-Version: 1.0" if it had none); every other byte passes as it is. Text lines keep their line breaks
 * as hard breaks; a binary part's CR and LF are encoded, so it decodes to the very same bytes. Memory is a
 * few buffers, whatever the size of the message. A header line over 998 bytes is folded (see
 * {@link HeaderFolding}).
 */
public final class RecodedMessage extends InputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] QUOTED_PRINTABLE =
            "Content-Transfer-Encoding: quoted-printable\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEVEN_BIT = "Content-Transfer-Encoding: 7bit\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIME_VERSION = "MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Staging out = new Staging();
    private final MimeWalker walker;

    public RecodedMessage(InputStream message, RecodingPlan plan) {
        this.walker = new MimeWalker(message, new Writer(plan, out));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (out.available() == 0) {
            if (!walker.step() && out.available() == 0) {
                return -1; // the last step may still have written the end of a recoded part
            }
        }
        return out.take(b, off, len);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    private static final class Writer implements MimeVisitor {
        private final RecodingPlan plan;
        private final Staging out;
        private QuotedPrintable encoder;
        private LineReader.End pendingEnd = LineReader.End.NONE;

        Writer(RecodingPlan plan, Staging out) {
            this.plan = plan;
            this.out = out;
        }

        @Override
        public void header(MimeEntity entity, String field, LineReader piece) {
            if (field.equals("content-transfer-encoding") && (plan.recodes(entity) || plan.relabels(entity))) {
                return; // replaced at the end of this header
            }
            if (HeaderFolding.applies(piece)) {
                HeaderFolding.fold(piece.buffer(), piece.start(), piece.length(), out);
                out.write(piece.end().bytes, 0, piece.end().bytes.length);
                return;
            }
            copy(piece);
        }

        @Override
        public void headerEnded(MimeEntity entity) {
            if (plan.recodes(entity)) {
                boolean message = entity.parent == null || entity.parent.kind() == MimeEntity.Kind.MESSAGE;
                if (message && !entity.hasMimeVersion()) { // a message, top-level or forwarded, declares MIME
                    out.write(MIME_VERSION, 0, MIME_VERSION.length);
                }
                out.write(QUOTED_PRINTABLE, 0, QUOTED_PRINTABLE.length);
                encoder = new QuotedPrintable(out);
                pendingEnd = LineReader.End.NONE;
            } else if (plan.relabels(entity)) {
                out.write(SEVEN_BIT, 0, SEVEN_BIT.length);
            }
        }

        @Override
        public void body(MimeEntity leaf, LineReader piece) {
            if (!plan.recodes(leaf)) {
                copy(piece);
                return;
            }
            boolean binary = leaf.encoding() == MimeEntity.Encoding.BINARY;
            if (piece.lineStart() && pendingEnd != LineReader.End.NONE) {
                if (binary) {
                    encoder.encode(pendingEnd.bytes, 0, pendingEnd.bytes.length);
                } else {
                    out.write(CRLF, 0, 2);
                }
                pendingEnd = LineReader.End.NONE;
            }
            encoder.encode(piece.buffer(), piece.start(), piece.length());
            if (piece.end() != LineReader.End.NONE) {
                if (!binary) {
                    encoder.endLine();
                }
                pendingEnd = piece.end(); // the break before a delimiter is the delimiter's (RFC 2046 5.1.1)
            }
        }

        @Override
        public void structure(MimeEntity owner, LineReader piece) {
            copy(piece);
        }

        @Override
        public void ended(MimeEntity entity) {
            if (plan.recodes(entity)) {
                encoder.endLine();
                if (pendingEnd != LineReader.End.NONE) {
                    out.write(CRLF, 0, 2);
                }
                pendingEnd = LineReader.End.NONE;
                encoder = null;
            }
        }

        private void copy(LineReader piece) {
            out.write(piece.buffer(), piece.start(), piece.length());
            out.write(piece.end().bytes, 0, piece.end().bytes.length);
        }
    }
}
