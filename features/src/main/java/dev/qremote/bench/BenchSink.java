package dev.qremote.bench;

import java.io.IOException;

/**
 * An SMTP server on loopback that takes every message and keeps none, with a count of the messages it
 * accepted, so that {@code bin/bench --resident} can check each line's K count against what really arrived.
 */
interface BenchSink extends AutoCloseable {
    /** The name printed on every line: {@code fake-mx} or {@code smtp-sink}. */
    String name();

    /** The TCP port on 127.0.0.1. */
    int port();

    /**
     * Messages accepted since the sink started: answered with a 2xx after the final dot. Read after every
     * answer to the bench is in; a sink whose count arrives later waits for it to settle.
     */
    long accepted() throws IOException, InterruptedException;

    @Override
    void close() throws IOException;
}
