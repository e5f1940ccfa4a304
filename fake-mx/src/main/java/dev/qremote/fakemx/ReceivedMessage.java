package dev.qremote.fakemx;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message as the fake server received it: the envelope exactly as sent (paths with their brackets
 * removed, parameters kept apart) and the data after dot-unstuffing, CRLFs included, final dot excluded;
 * whether the envelope was pipelined, the TLS state (null for plaintext) and the AUTH user (null if none).
 */
public record ReceivedMessage(String mailFrom, List<String> mailParameters, List<String> rcptTo, byte[] data,
        boolean pipelined, TlsInfo tls, String authenticatedUser) {

    public ReceivedMessage {
        mailParameters = List.copyOf(mailParameters);
        rcptTo = List.copyOf(rcptTo);
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public String dataText() {
        return new String(data, StandardCharsets.ISO_8859_1);
    }
}
