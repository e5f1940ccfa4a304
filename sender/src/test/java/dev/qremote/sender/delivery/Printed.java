package dev.qremote.sender.delivery;

import dev.qremote.sender.report.Report;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** What qmail-remote would print for a result or an attempt, as one string: the bytes tests compare. */
final class Printed {
    private Printed() {
    }

    static String of(DeliveryResult result) {
        return result.recipientReports().stream().map(Printed::of).collect(Collectors.joining())
                + of(result.messageReport());
    }

    static String of(Report report) {
        return new String(report.bytes(), StandardCharsets.ISO_8859_1);
    }

    /** A decided attempt as its reports, a "next address" one as "next: " and the report it leaves. */
    static String of(Attempt attempt) {
        if (attempt instanceof Attempt.Done done) {
            return of(done.result());
        }
        if (attempt instanceof Attempt.TryNext next) {
            return "next: " + of(next.report());
        }
        return attempt.getClass().getSimpleName();
    }
}
