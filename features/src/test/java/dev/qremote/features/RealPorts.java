package dev.qremote.features;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/**
 * The features on real ports (the interop bench): asked for with the property {@code qremote.realports}, in
 * a JVM that bench/interop/jvm/bin/java started inside bench/interop/namespace. Where that namespace could not be
 * made, the property {@code qremote.realports.unavailable} says why and every scenario is skipped with it.
 */
public final class RealPorts {

    /** True when the features are to run on real ports and can. */
    static boolean active() {
        return Boolean.getBoolean("qremote.realports") && unavailable() == null;
    }

    private static String unavailable() {
        String why = System.getProperty("qremote.realports.unavailable");
        return why == null || why.isBlank() ? null : why.strip();
    }

    /**
     * bench/interop/deliver, found above the working directory. Refuses to go on unless /etc/resolv.conf
     * names 127.0.0.1 alone, as it does inside the namespace: real ports outside it would be the machine's.
     */
    static Path homeBinder() throws IOException {
        String resolv = Files.readString(Path.of("/etc/resolv.conf"), StandardCharsets.ISO_8859_1).strip();
        if (!resolv.equals("nameserver 127.0.0.1")) {
            throw new IllegalStateException("qremote.realports is set but this JVM is not inside "
                    + "bench/interop/namespace (/etc/resolv.conf: " + resolv + "); run bin/interop");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bench/interop/deliver");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bench/interop/deliver not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Skips the scenario when it would start qmail-rspawn on real ports: its variables (QMAILHOME among
     * them) are the interface there, and /var/qmail in the namespace is the machine's own.
     */
    static void noResidentHere() {
        if (active()) {
            throw new TestAbortedException("qmail-rspawn is not judged on real ports");
        }
    }

    /**
     * Skips every scenario, with the reason, where real ports were asked for and the namespace could not be
     * made; on real ports, those that drive qmail-rspawn themselves ({@code @spawn}: its variables are the
     * interface there) and the resident path.
     */
    @Before(order = 0)
    public void skipWhereUnavailable(Scenario scenario) {
        if (!Boolean.getBoolean("qremote.realports")) {
            return;
        }
        String why = unavailable();
        if (why != null) {
            throw new TestAbortedException("no interop bench on real ports here: " + why);
        }
        if (scenario.getSourceTagNames().contains(ResidentPath.SPAWN) || ResidentPath.active()) {
            throw new TestAbortedException("qmail-rspawn is not judged on real ports");
        }
    }
}
