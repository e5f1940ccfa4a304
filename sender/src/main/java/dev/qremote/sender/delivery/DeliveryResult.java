package dev.qremote.sender.delivery;

import dev.qremote.sender.report.Report;
import dev.qremote.sender.sts.StsOutcome;
import java.util.List;
import java.util.Optional;

/**
 * What one delivery prints: recipient reports in argument order (maybe fewer), then one message report;
 * and, when MTA-STS was on for the delivery, its outcome, for TLS reporting (RFC 8460).
 */
public record DeliveryResult(List<Report> recipientReports, Report messageReport, Optional<StsOutcome> sts) {

    public DeliveryResult {
        recipientReports = List.copyOf(recipientReports);
    }

    public DeliveryResult(List<Report> recipientReports, Report messageReport) {
        this(recipientReports, messageReport, Optional.empty());
    }

    static DeliveryResult of(Report messageReport) {
        return new DeliveryResult(List.of(), messageReport);
    }

    /** The same reports with this MTA-STS outcome. */
    DeliveryResult withSts(StsOutcome outcome) {
        return new DeliveryResult(recipientReports, messageReport, Optional.of(outcome));
    }
}
