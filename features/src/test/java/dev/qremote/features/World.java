package dev.qremote.features;

import dev.qremote.bench.Bench;
import dev.qremote.bench.SenderCommand;
import dev.qremote.bench.SenderRun;
import java.io.IOException;
import java.nio.file.Path;

/** The state of one scenario: its bench, the command under test and the last run. */
public final class World implements AutoCloseable {
    private final Bench bench;
    private final SenderCommand command;
    private SenderRun lastRun;
    private byte[] lastMessage;

    public World() throws IOException {
        this.bench = RealPorts.active() ? Bench.onRealPorts(RealPorts.homeBinder()) : new Bench();
        this.command = SenderCommand.configured(Path.of(""));
    }

    public Bench bench() {
        return bench;
    }

    public SenderCommand command() {
        return command;
    }

    /** True when deliveries go through a resident qmail-rspawn ({@link ResidentPath}), not qmail-remote. */
    public boolean resident() {
        return ResidentPath.active();
    }

    public SenderRun lastRun() {
        if (lastRun == null) {
            throw new IllegalStateException("qmail-remote has not run in this scenario");
        }
        return lastRun;
    }

    void lastRun(SenderRun run) {
        this.lastRun = run;
    }

    /** The message qmail-remote was last given on stdin. */
    byte[] lastMessage() {
        if (lastMessage == null) {
            throw new IllegalStateException("no message was given in this scenario");
        }
        return lastMessage.clone();
    }

    void lastMessage(byte[] message) {
        this.lastMessage = message.clone();
    }

    @Override
    public void close() throws IOException {
        bench.close();
    }
}
