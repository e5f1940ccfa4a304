package dev.qremote.bench;

/** What one run of the command under test did: its stdout, its stderr and its exit status. */
public record SenderRun(byte[] stdout, byte[] stderr, int exitStatus) {

    public String visibleReports() {
        return ReportText.visible(stdout);
    }
}
