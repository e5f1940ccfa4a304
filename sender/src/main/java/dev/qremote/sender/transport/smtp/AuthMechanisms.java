package dev.qremote.sender.transport.smtp;

import java.util.List;

/**
 * The SASL mechanisms qmail-remote knows, strongest first (RFC 4954): the first one the server's EHLO
 * offers is used. One list, so that the session and qmail-remote-check cannot disagree.
 */
public final class AuthMechanisms {
    private static final List<String> PASSWORD = List.of("SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN");
    private static final List<String> BEARER = List.of("XOAUTH2");

    private AuthMechanisms() {
    }

    /** The order to try for a password, or for a bearer token (a route's "oauth2:FILE" secret). */
    public static List<String> preference(boolean bearerToken) {
        return bearerToken ? BEARER : PASSWORD;
    }
}
