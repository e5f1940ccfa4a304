package dev.qremote.sender.transport.smtp;

import java.util.Arrays;

/**
 * The positive replies RFC 5321 4.3.2 allows per command (RFC 3207 for STARTTLS, RFC 4954 for AUTH, RFC 3030
 * for BDAT). Failures are judged by their first digit only: real servers answer RCPT with 554 and MAIL with
 * 553, codes 4.3.2 does not list, and RFC 5321 4.2.1 asks clients to act on the class. Any other code means
 * the dialogue is out of step (a second greeting read as the reply to EHLO, 354 after the final dot), and
 * acting on it could claim a delivery that never happened.
 */
final class ReplyCodes {
    static final int[] GREETING = {220};
    static final int[] HELLO = {250};
    static final int[] STARTTLS = {220};
    static final int[] AUTH = {235, 334};
    static final int[] MAIL = {250};
    static final int[] RCPT = {250, 251};
    static final int[] DATA = {354};
    static final int[] MESSAGE = {250};
    static final int[] BDAT = {250};
    static final int[] RSET = {250};

    private ReplyCodes() {
    }

    /** {@code reply} itself when its code is a failure or one of {@code positive}. */
    static Reply expect(Reply reply, String command, int... positive) throws SmtpProtocolException {
        if (reply.code() >= 400 || Arrays.stream(positive).anyMatch(c -> c == reply.code())) {
            return reply;
        }
        throw new SmtpProtocolException(command, SmtpProtocolException.Kind.UNEXPECTED_CODE,
                "code " + reply.code() + " is not a reply to " + command, reply.lines());
    }
}
