package dev.qremote.sender.transport.smtp;

/**
 * Where an AUTH exchange ended: {@code step} names the stage whose reply decided ("AUTH PLAIN", "plain",
 * "username", "username+digest", "challenge" for a challenge that was not base64), and {@code reply} is
 * that reply (235 on success).
 */
public record AuthStep(String step, Reply reply) {

    public boolean succeeded() {
        return reply != null && reply.code() == 235;
    }
}
