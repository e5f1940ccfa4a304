package dev.qremote.sender.spawn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * qmail-send's side of the spawn protocol over two OS pipes to a spawn run in this JVM (features has the same
 * driver for a real bin/qmail-rspawn): requests out, the slot byte and answers in.
 */
final class Peer implements AutoCloseable {
    /** An answer: the slot and the text between the slot byte and the NUL. */
    record Answer(int slot, String text) {
    }

    /** A spawn run given the peer's streams, on its own thread; returns how it ended (an exit status). */
    interface Run {
        int run(InputStream requests, OutputStream answers) throws Exception;
    }

    private final OutputStream requests;
    private final InputStream answers;
    private final Thread thread;
    private volatile Integer status;
    private volatile Throwable failure;

    Peer(Run run) throws IOException {
        Pipe toSpawn = Pipe.open();
        Pipe fromSpawn = Pipe.open();
        this.requests = Channels.newOutputStream(toSpawn.sink());
        this.answers = Channels.newInputStream(fromSpawn.source());
        InputStream spawnIn = Channels.newInputStream(toSpawn.source());
        OutputStream spawnOut = Channels.newOutputStream(fromSpawn.sink());
        thread = new Thread(() -> {
            try (spawnIn; spawnOut) {
                status = run.run(spawnIn, spawnOut);
            } catch (Throwable t) {
                failure = t;
            }
        }, "spawn-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    /** The first byte: the slot limit. */
    int slotLimit() throws IOException {
        return answers.read();
    }

    void send(int slot, String messageId, String sender, String recipient) throws IOException {
        requests.write(request(slot, messageId, sender, recipient));
        requests.flush();
    }

    /** Writes raw bytes: a request in pieces, or several at once. */
    void sendRaw(byte[] bytes) throws IOException {
        requests.write(bytes);
        requests.flush();
    }

    static byte[] request(int slot, String messageId, String sender, String recipient) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(slot);
        for (String field : List.of(messageId, sender, recipient)) {
            out.writeBytes(field.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The next answer; null at end of output. */
    Answer next() throws IOException {
        int slot = answers.read();
        if (slot < 0) {
            return null;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b; (b = answers.read()) != 0;) {
            if (b < 0) {
                throw new IOException("answer for slot " + slot + " cut short: " + text);
            }
            text.write(b);
        }
        return new Answer(slot, text.toString(StandardCharsets.ISO_8859_1));
    }

    /** qmail-send closes its end of the request pipe. */
    void closeRequests() throws IOException {
        requests.close();
    }

    /** Stops reading answers (qmail-send gone). */
    void closeAnswers() throws IOException {
        answers.close();
    }

    /** Waits for the run to end; its status. */
    int awaitEnd(long millis) throws Exception {
        thread.join(millis);
        if (thread.isAlive()) {
            throw new AssertionError("spawn did not end within " + millis + " ms");
        }
        if (failure != null) {
            throw new AssertionError("spawn failed", failure);
        }
        return status;
    }

    @Override
    public void close() throws IOException {
        requests.close();
        answers.close();
    }
}
