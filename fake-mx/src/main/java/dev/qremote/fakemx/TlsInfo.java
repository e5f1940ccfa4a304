package dev.qremote.fakemx;

/**
 * What a TLS handshake settled: protocol and cipher suite, the name the client asked for (SNI, null when it
 * sent none), and the subject of the client's certificate (null when it sent none).
 */
public record TlsInfo(String protocol, String cipherSuite, String serverName, String clientSubject) {
}
