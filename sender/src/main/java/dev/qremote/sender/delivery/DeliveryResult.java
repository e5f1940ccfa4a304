package dev.qremote.sender.delivery;

import dev.qremote.sender.report.Report;
import java.util.List;

/** What one delivery prints: recipient reports in argument order (maybe fewer), then one message report. */
public record DeliveryResult(List<Report> recipientReports, Report messageReport) {

    public DeliveryResult {
        recipientReports = List.copyOf(recipientReports);
    }

    static DeliveryResult of(Report messageReport) {
        return new DeliveryResult(List.of(), messageReport);
    }
}
