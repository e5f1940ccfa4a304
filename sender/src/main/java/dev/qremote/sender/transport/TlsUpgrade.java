package dev.qremote.sender.transport;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/** Turns a connected plain socket into a TLS one: the handshake, with whatever checks the caller wants. */
@FunctionalInterface
public interface TlsUpgrade {

    SSLSocket handshake(Socket plain) throws IOException;
}
