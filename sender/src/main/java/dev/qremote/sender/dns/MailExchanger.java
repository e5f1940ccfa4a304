package dev.qremote.sender.dns;

/** One MX record: preference and exchange host (without the trailing dot; "." for a null MX). */
public record MailExchanger(int preference, String host) {

    public boolean isNull() {
        return host.equals(".");
    }
}
