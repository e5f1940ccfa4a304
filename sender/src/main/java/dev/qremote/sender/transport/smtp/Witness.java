package dev.qremote.sender.transport.smtp;

import java.util.List;

/**
 * What the witness after the final dot's 2xx showed ({@link SmtpClient#ehloInStep}): the session is in step
 * and still open for another transaction; it is closed and the reply taken for the message's stands; or the
 * replies were out of step, with what the server said instead (no lines for silence).
 */
public sealed interface Witness {
    Witness IN_STEP = new InStep();
    Witness ENDED = new Ended();

    /** In step; the connection is open, its state reset by the EHLO. */
    record InStep() implements Witness {
    }

    /** In step as far as can be told; the connection is closed. */
    record Ended() implements Witness {
    }

    /** Out of step: the reply taken for the message's may have answered another command. */
    record OutOfStep(List<String> said) implements Witness {
        public OutOfStep {
            said = List.copyOf(said);
        }
    }
}
