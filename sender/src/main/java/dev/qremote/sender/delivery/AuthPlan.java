package dev.qremote.sender.delivery;

/**
 * Credentials for one delivery, and whether they may go over a connection without TLS (only to this
 * machine, or to a relay control/authplaintext names). {@code bearerToken}: the secret is an OAuth 2 token
 * for XOAUTH2. Printed, the secret never shows.
 */
record AuthPlan(String user, String secret, boolean bearerToken, boolean plaintextAllowed) {

    @Override
    public String toString() {
        return "AuthPlan[" + user + (bearerToken ? ", token" : ", password") + " hidden]";
    }
}
