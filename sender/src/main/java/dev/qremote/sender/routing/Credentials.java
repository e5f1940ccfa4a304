package dev.qremote.sender.routing;

/** A user and secret for SMTP AUTH, from a route. Printed, the secret never shows. */
public record Credentials(String user, String secret) {

    @Override
    public String toString() {
        return "Credentials[" + user + ", secret hidden]";
    }
}
