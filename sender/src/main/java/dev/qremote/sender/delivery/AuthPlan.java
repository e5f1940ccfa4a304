package dev.qremote.sender.delivery;

/**
 * Credentials for one delivery. {@code mayGoInClear}: control/authplaintext names the relay, so they may go
 * over a connection without TLS (to this machine they always may, see
 * DeliveryContext.mayReceiveCredentialsInClear). {@code bearerToken}: the secret is an OAuth 2 token for
 * XOAUTH2. Printed, the secret never shows.
 */
record AuthPlan(String user, String secret, boolean bearerToken, boolean mayGoInClear) {

    @Override
    public String toString() {
        return "AuthPlan[" + user + (bearerToken ? ", token" : ", password") + " hidden]";
    }
}
