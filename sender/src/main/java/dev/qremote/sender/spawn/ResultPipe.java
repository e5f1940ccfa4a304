package dev.qremote.sender.spawn;

import java.io.IOException;
import java.io.OutputStream;

/**
 * qmail-send's end of the pipe: one write per answer (slot byte, text, NUL), so that answers from many
 * threads never interleave. When a write fails (qmail-send is gone) nothing more is written, and deliveries
 * go on to their end, as C qmail-rspawn's okwrite does.
 */
final class ResultPipe {
    private final OutputStream out;
    private boolean writing = true;

    ResultPipe(OutputStream out) {
        this.out = out;
    }

    /** The slot limit qmail-send may use, written once at start. */
    synchronized void announce(int slots) {
        send(new byte[] {(byte) slots});
    }

    /** One answer: {@code slot}, then {@code text} (no NUL in it), then NUL. */
    synchronized void answer(int slot, byte[] text) {
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) slot;
        System.arraycopy(text, 0, bytes, 1, text.length);
        send(bytes);
    }

    private void send(byte[] bytes) {
        if (!writing) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            writing = false; // nobody reads any more; the deliveries still end properly
        }
    }
}
