package dev.qremote.sender.delivery;

import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.ReportTemplate.Refusal;
import dev.qremote.sender.transport.smtp.Reply;

/**
 * What a peer's answer means for the mail: taken, refused for now (try again later), or refused for good.
 * Decided once from the answer, so that a call site names only which refusal it reports.
 */
enum Outcome {
    ACCEPTED, TEMPORARY, PERMANENT;

    /** An SMTP reply (RFC 5321 4.2.1): 5xx permanent, 4xx temporary, anything below 400 accepted. */
    static Outcome of(Reply reply) {
        return reply.isPermanentFailure() ? PERMANENT : reply.isTransientFailure() ? TEMPORARY : ACCEPTED;
    }

    /** A QMTP reply's first byte (cr.yp.to/proto/qmtp.txt): K accepted, Z temporary, anything else permanent. */
    static Outcome ofQmtp(char code) {
        return code == 'K' ? ACCEPTED : code == 'Z' ? TEMPORARY : PERMANENT;
    }

    /**
     * The template of {@code refusal} for this outcome.
     *
     * @throws IllegalStateException for ACCEPTED, which refuses nothing
     */
    ReportTemplate refusal(Refusal refusal) {
        return switch (this) {
            case TEMPORARY -> refusal.temporary();
            case PERMANENT -> refusal.permanent();
            case ACCEPTED -> throw new IllegalStateException("an accepted answer is no refusal");
        };
    }
}
