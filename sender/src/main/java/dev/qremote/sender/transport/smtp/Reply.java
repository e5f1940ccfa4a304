package dev.qremote.sender.transport.smtp;

import java.util.List;

/** One SMTP reply: its three-digit code and every line as received (code included, CRLF removed). */
public record Reply(int code, List<String> lines) {

    public Reply {
        lines = List.copyOf(lines);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }
}
