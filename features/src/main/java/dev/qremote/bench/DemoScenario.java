package dev.qremote.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One teaching scenario of {@code bin/demo SCENARIO}: a name, one line saying what it shows, and what it
 * sets up in a fresh {@link Bench} before and between its deliveries.
 */
public record DemoScenario(String name, String summary, Body body) {

    /** The usual delivery: example.test, from alice@sender.test, to bob@example.test. */
    public static final List<String> ARGS = List.of("example.test", "alice@sender.test", "bob@example.test");

    /** The usual message: LF line ends, as qmail keeps it, and one line that needs dot-stuffing. */
    public static final byte[] MESSAGE = ("From: alice@sender.test\nTo: bob@example.test\nSubject: hello from qremote\n\n"
            + "Hi Bob,\n.a line that starts with a dot\nBye.\n").getBytes(StandardCharsets.ISO_8859_1);

    /** What a scenario does: sets up {@code bench}, then delivers through {@code attempts}, once or more. */
    @FunctionalInterface
    public interface Body {
        void run(Bench bench, Attempts attempts) throws Exception;
    }

    /** Runs bin/qmail-remote against the bench: one call, one real delivery. */
    @FunctionalInterface
    public interface Attempts {
        /** {@code why}: a line printed before the attempt ("qmail-send tries again later"), or null. */
        SenderRun deliver(String why, List<String> args, byte[] message) throws Exception;

        default SenderRun deliver() throws Exception {
            return deliver(null, ARGS, MESSAGE);
        }
    }
}
