package dev.qremote.sender.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Walks the MIME structure of a message (RFC 2045, 2046) one line piece at a time, in constant memory:
 * headers, multipart delimiters and bodies, message/rfc822 parts entered. Entities are numbered in the
 * order their headers begin, so two walks of the same bytes number them alike. A message without MIME is
 * one leaf.
 */
final class MimeWalker {
    private enum State {
        HEADER, BODY, PREAMBLE, EPILOGUE
    }

    private enum Route {
        HEADER, BODY, STRUCTURE
    }

    private final LineReader lines;
    private final MimeVisitor visitor;
    private MimeEntity current;
    private State state = State.HEADER;
    private Route route = Route.HEADER;
    private String field = "";
    private int entities = 1;
    private boolean done;

    MimeWalker(InputStream in, MimeVisitor visitor) {
        this.lines = new LineReader(in);
        this.visitor = visitor;
        this.current = new MimeEntity(0, null);
    }

    /** Walks the whole message. */
    void walk() throws IOException {
        while (step()) {
            // each step reports one piece
        }
    }

    /** Handles one piece; false once the message has ended and every entity with it. */
    boolean step() throws IOException {
        if (done) {
            return false;
        }
        if (!lines.next()) {
            done = true;
            for (MimeEntity e = current; e != null; e = e.parent) {
                visitor.ended(e);
            }
            return false;
        }
        if (lines.lineStart() && startLine()) {
            return true;
        }
        switch (route) {
            case HEADER -> {
                current.headerText(field, lines.buffer(), lines.start(), lines.length());
                visitor.header(current, field, lines);
            }
            case BODY -> visitor.body(current, lines);
            default -> visitor.structure(current, lines);
        }
        return true;
    }

    /** How many entities have begun. */
    int entities() {
        return entities;
    }

    /** Routes a new line; true when it was a delimiter or a blank line and has been reported already. */
    private boolean startLine() throws IOException {
        MimeEntity multipart = delimitedBy();
        if (multipart != null) {
            while (current != multipart) {
                visitor.ended(current);
                current = current.parent;
            }
            route = Route.STRUCTURE;
            visitor.structure(multipart, lines);
            if (closes(multipart)) {
                state = State.EPILOGUE;
            } else {
                begin(new MimeEntity(entities++, multipart));
            }
            return true;
        }
        if (state == State.HEADER) {
            if (lines.emptyLine()) {
                current.headerEnded();
                visitor.headerEnded(current);
                route = Route.STRUCTURE;
                visitor.structure(current, lines);
                switch (current.kind()) {
                    case MULTIPART -> state = State.PREAMBLE;
                    case MESSAGE -> begin(new MimeEntity(entities++, current));
                    default -> state = State.BODY;
                }
                return true;
            }
            byte first = lines.length() > 0 ? lines.buffer()[lines.start()] : 0;
            if (first != ' ' && first != '\t') {
                field = fieldName();
            }
            route = Route.HEADER;
            return false;
        }
        route = state == State.BODY ? Route.BODY : Route.STRUCTURE;
        return false;
    }

    private void begin(MimeEntity entity) {
        current = entity;
        state = State.HEADER;
        field = "";
    }

    /** The innermost open multipart whose delimiter this line is, or null. */
    private MimeEntity delimitedBy() {
        int n = lines.length();
        if (n < 2 || lines.buffer()[lines.start()] != '-' || lines.buffer()[lines.start() + 1] != '-') {
            return null;
        }
        MimeEntity e = state == State.EPILOGUE ? current.parent : current; // after its close, a delimiter is text
        for (; e != null; e = e.parent) {
            if (e.kind() == MimeEntity.Kind.MULTIPART && isDelimiter(e.delimiter())) {
                return e;
            }
        }
        return null;
    }

    private boolean isDelimiter(byte[] delimiter) {
        byte[] b = lines.buffer();
        int s = lines.start();
        int n = lines.length();
        if (n < delimiter.length) {
            return false;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (b[s + i] != delimiter[i]) {
                return false;
            }
        }
        if (n >= delimiter.length + 2 && b[s + delimiter.length] == '-' && b[s + delimiter.length + 1] == '-') {
            return true;
        }
        for (int i = delimiter.length; i < n; i++) {
            if (b[s + i] != ' ' && b[s + i] != '\t') {
                return false; // another boundary that starts like this one
            }
        }
        return true;
    }

    private boolean closes(MimeEntity multipart) {
        int after = lines.start() + multipart.delimiter().length;
        return lines.length() >= multipart.delimiter().length + 2 && lines.buffer()[after] == '-'
                && lines.buffer()[after + 1] == '-';
    }

    private String fieldName() {
        byte[] b = lines.buffer();
        int s = lines.start();
        for (int i = 0; i < lines.length() && i < 100; i++) {
            byte c = b[s + i];
            if (c == ':') {
                return new String(b, s, i, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
            }
            if ((c < ' ' && c != '\t') || c > '~') {
                break;
            }
        }
        return "";
    }
}
