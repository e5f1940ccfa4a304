package dev.qremote.sender.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;

/**
 * Jazzer's SSRF detector reports every network connection made while fuzzing; the targets that talk to a
 * peer open this around each run, which permits loopback (all the bench ever uses) and nothing else.
 */
public final class Loopback {
    private Loopback() {
    }

    /** The permit; a no-op where Jazzer's agent is not loaded (a plain test run), as nothing watches then. */
    public static SilentCloseable only() {
        try {
            Class.forName("com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery");
        } catch (ClassNotFoundException noAgent) {
            return () -> { };
        }
        try {
            return BugDetectors.allowNetworkConnections((host, port) -> host.startsWith("127.")
                    || host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1"));
        } catch (IllegalStateException noAgent) {
            return () -> { };
        }
    }
}
