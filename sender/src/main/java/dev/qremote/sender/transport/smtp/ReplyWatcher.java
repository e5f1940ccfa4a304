package dev.qremote.sender.transport.smtp;

/** Told of every reply read on a connection (for the delivery log): the command it answers and its code. */
@FunctionalInterface
public interface ReplyWatcher {
    void replied(String command, int code);
}
