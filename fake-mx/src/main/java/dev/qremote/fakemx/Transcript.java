package dev.qremote.fakemx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact bytes of one session in both directions, in order. Rendered readably as "C: " and "S: " lines,
 * with CR, LF and other control bytes made visible. Bounded: past {@value #CAP} bytes only the count grows.
 */
public final class Transcript {
    static final int CAP = 1 << 20;

    /** Who sent a chunk of bytes. */
    public enum Direction { CLIENT, SERVER, NOTE }

    /** One chunk. */
    public record Entry(Direction direction, byte[] bytes) {
        public Entry {
            bytes = bytes.clone();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** The chunk still growing: consecutive bytes in one direction are kept as one entry. */
    private Direction openDirection;
    private final ByteArrayOutputStream open = new ByteArrayOutputStream();
    private long total;
    private long dropped;

    synchronized void add(Direction direction, byte[] bytes, int off, int len) {
        total += len;
        if (total > CAP) {
            dropped += len;
            return;
        }
        if (direction != openDirection) {
            closeOpen();
            openDirection = direction;
        }
        open.write(bytes, off, len);
    }

    synchronized void note(String text) {
        closeOpen();
        entries.add(new Entry(Direction.NOTE, text.getBytes(StandardCharsets.UTF_8)));
    }

    private void closeOpen() {
        if (openDirection != null) {
            entries.add(new Entry(openDirection, open.toByteArray()));
            open.reset();
            openDirection = null;
        }
    }

    public synchronized List<Entry> entries() {
        closeOpen();
        return List.copyOf(entries);
    }

    /** Everything one side sent, concatenated. */
    public synchronized byte[] sentBy(Direction direction) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries()) {
            if (e.direction() == direction) {
                out.writeBytes(e.bytes());
            }
        }
        return out.toByteArray();
    }

    /** "C: MAIL FROM:<a@b>\r\n"-style lines, one per line sent, CR shown as \r. */
    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries()) {
            if (e.direction() == Direction.NOTE) {
                out.append("-- ").append(new String(e.bytes(), StandardCharsets.UTF_8)).append('\n');
                continue;
            }
            String prefix = e.direction() == Direction.CLIENT ? "C: " : "S: ";
            StringBuilder line = new StringBuilder();
            for (byte b : e.bytes()) {
                int c = b & 0xff;
                if (c == '\n') {
                    out.append(prefix).append(line).append("\\n\n");
                    line.setLength(0);
                } else if (c == '\r') {
                    line.append("\\r");
                } else if (c < 32 || c > 126) {
                    line.append(String.format("\\x%02x", c));
                } else {
                    line.append((char) c);
                }
            }
            if (line.length() > 0) {
                out.append(prefix).append(line).append('\n');
            }
        }
        if (dropped > 0) {
            out.append("-- ").append(dropped).append(" more bytes not kept\n");
        }
        return out.toString();
    }
}
