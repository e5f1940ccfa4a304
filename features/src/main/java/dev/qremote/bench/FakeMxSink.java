package dev.qremote.bench;

import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.SmtpServer;
import java.io.IOException;
import java.net.InetAddress;

/** The project's fake-mx in sink mode, in the bench's own JVM (its CPU is in nobody's column). */
final class FakeMxSink implements BenchSink {
    private final SmtpServer server;

    private FakeMxSink(SmtpServer server) {
        this.server = server;
    }

    static FakeMxSink start() throws IOException {
        return new FakeMxSink(SmtpServer.start(InetAddress.getLoopbackAddress(), 0,
                SmtpScript.builder().sink().extensions("PIPELINING", "8BITMIME").build()));
    }

    @Override
    public String name() {
        return "fake-mx";
    }

    @Override
    public int port() {
        return server.address().getPort();
    }

    /** Counted by the server itself, before it writes the reply: no waiting needed. */
    @Override
    public long accepted() {
        return server.repliesAfterMessage().stream().filter(r -> r.startsWith("2")).count();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
