package dev.qremote.fakemx;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** What the SMTP and the QMTP fakes have in common, for a test that runs both side by side. */
public interface FakeServer extends Closeable {

    /** Where it listens (an ephemeral port when started with 0). */
    InetSocketAddress address();

    /** The messages it accepted, in order. */
    List<ReceivedMessage> messages();

    /** Waits until no session is open; true when that came within {@code timeout}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Stops listening; never fails. */
    @Override
    void close();
}
