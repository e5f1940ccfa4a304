package dev.qremote.sender.cli;

import dev.qremote.sender.delivery.DeliveryResult;
import dev.qremote.sender.report.ReportWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one delivery's reports once: the delivery's own, or the one a TERM writes when the delivery does
 * not end in time; never both, never interleaved.
 */
final class ReportGate {
    private final OutputStream out;
    private boolean written;

    ReportGate(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code result} unless reports were written already; never throws. */
    synchronized void write(DeliveryResult result) {
        if (written) {
            return;
        }
        written = true;
        try {
            new ReportWriter(out).write(result.recipientReports(), result.messageReport());
            out.flush();
        } catch (IOException | RuntimeException e) {
            // qmail-rspawn is gone; nobody is left to tell
        } finally {
            notifyAll();
        }
    }

    synchronized boolean written() {
        return written;
    }

    /** Waits up to {@code millis} for the reports to be written; true when they were. */
    synchronized boolean awaitWritten(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!written) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return written;
            }
        }
        return true;
    }
}
