package dev.qremote.bench;

/**
 * What one run of the command under test did: its stdout, its stderr, its exit status, and how long the
 * process ran (from its start to its exit, not counting the bench waiting for its fake servers).
 */
public record SenderRun(byte[] stdout, byte[] stderr, int exitStatus, java.time.Duration elapsed) {

    public String visibleReports() {
        return ReportText.visible(stdout);
    }
}
