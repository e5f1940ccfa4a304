package dev.qremote.features;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * qmail-send's side of the spawn protocol, over real pipes to a real {@code bin/qmail-rspawn} process: it
 * reads the slot limit, writes requests (slot, message path, sender, recipient, each NUL-terminated after
 * the slot byte), reads answers (slot byte, text, NUL) and closes the request pipe as qmail-send does when it
 * exits. The process runs with only the environment given (qmail-start gives an almost empty one).
 */
final class SpawnDriver implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** One answer: the slot, and the text between the slot byte and the NUL. */
    record Answer(int slot, String text) {
    }

    private final Process process;
    private final OutputStream requests;
    private final InputStream answers;

    private SpawnDriver(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = process.getInputStream();
    }

    /** Starts {@code bin/qmail-rspawn} with {@code env} and PATH alone; stderr is kept for the tests to see. */
    static SpawnDriver start(Map<String, String> env, Path stderr) throws IOException {
        return start(ROOT.resolve("bin/qmail-rspawn"), env, stderr);
    }

    /** Starts {@code command} (an installed qmail-rspawn, say) as {@link #start(Map, Path)} does. */
    static SpawnDriver start(Path command, Map<String, String> env, Path stderr) throws IOException {
        RealPorts.noResidentHere();
        ProcessBuilder builder = new ProcessBuilder(List.of(command.toString()))
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        String javaHome = System.getProperty("java.home");
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().putAll(env);
        return new SpawnDriver(builder.start());
    }

    /** The first byte the process writes: its slot limit; -1 when it wrote nothing. */
    int slotLimit() throws IOException {
        return answers.read();
    }

    void send(int slot, String messageId, String sender, String recipient) throws IOException {
        sendRaw(request(slot, messageId, sender, recipient));
    }

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

    /** The next answer; null when the process closed its output. */
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

    /** qmail-send exits: the request pipe closes. */
    void closeRequests() throws IOException {
        requests.close();
    }

    /** Waits for the process to exit; its status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("qmail-rspawn did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
