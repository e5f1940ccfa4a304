package dev.qremote.sender.spawn;

import dev.qremote.sender.delivery.DeliveryEngine;
import dev.qremote.sender.delivery.SessionCache;
import dev.qremote.sender.machine.Knobs;
import dev.qremote.sender.machine.SystemContext;
import dev.qremote.sender.machine.TimeoutTimers;
import dev.qremote.sender.settings.ControlSnapshots;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * {@code qmail-rspawn}, resident: qmail-send's requests on fd 0, answers on fd 1, every delivery on a thread
 * of this one JVM through one long-lived engine. Exit 0 when fd 0 ends and every delivery has answered;
 * 111 before the first byte when the process cannot serve (no queue/mess, no queue user, a bad setting),
 * as C qmail-rspawn; 111 when the reader fails beyond repair (the JVM is then not trusted to go on).
 * Nothing but protocol bytes reaches fd 1: System.out and System.err are silenced first.
 */
public final class Main {
    /** The slot limit C qmail-rspawn announces (notqmail's conf-spawn). */
    static final int DEFAULT_SLOTS = 120;
    static final String SLOTS = "QREMOTE_SPAWN_SLOTS";
    /** The queue user whose message files only are delivered; a test bench names its own. */
    static final String QUEUE_USER = "QREMOTE_QMAILQ";
    static final String GRACE = "QREMOTE_SPAWN_GRACE";
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(120);

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        System.setErr(silent);
        System.setOut(silent);
        int status;
        try {
            status = run(System.getenv(),
                    new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        } catch (Throwable unforeseen) {
            status = 111; // qmail-send sees the pipe end and restarts; every unfinished delivery is retried
        }
        Runtime.getRuntime().halt(status);
    }

    /** Sets up and serves; returns the exit status. */
    static int run(Map<String, String> env, InputStream in, OutputStream out)
            throws InterruptedException {
        Knobs knobs;
        int slots;
        Duration grace;
        UserPrincipal queueUser;
        try {
            knobs = Knobs.from(env);
            slots = number(env, SLOTS, DEFAULT_SLOTS, 1, 255);
            grace = Duration.ofSeconds(number(env, GRACE, (int) DEFAULT_GRACE.toSeconds(), 0, 86400));
            queueUser = FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(env.getOrDefault(QUEUE_USER, "qmailq"));
        } catch (IllegalArgumentException | IOException e) {
            return 111;
        }
        Path queueMess = knobs.qmailHome().resolve("queue/mess");
        if (!Files.isDirectory(queueMess)) {
            return 111;
        }
        cleanTimeoutMemory(knobs.qmailHome().resolve("queue/lock/tcpto"));
        ScheduledThreadPoolExecutor timer = TimeoutTimers.create("qremote-timeouts");
        // idle SMTP sessions kept between deliveries (control/reuseidle, control/reusemax), closed at the end
        SessionCache sessions = SessionCache.create(timer);
        try {
            ControlSnapshots controls = new ControlSnapshots(knobs.qmailHome(), Clock.systemUTC(),
                    ControlSnapshots.DEFAULT_RECHECK);
            DeliveryEngine engine = new DeliveryEngine(new SystemContext(knobs, timer,
                    Optional.of(controls), sessions));
            new ResidentSpawn(slots, engine::deliver, new MessageFiles(queueMess, queueUser), grace).run(in, out);
            return 0;
        } finally {
            sessions.close();
            timer.shutdownNow();
        }
    }

    private static int number(Map<String, String> env, String name, int otherwise, int min, int max) {
        String value = env.get(name);
        if (value == null) {
            return otherwise;
        }
        int n = Integer.parseInt(value.trim()); // NumberFormatException is an IllegalArgumentException
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max);
        }
        return n;
    }

    /**
     * As C qmail-rspawn at start (tcpto_clean): the timeout memory's 1024 bytes zeroed, when the file exists
     * and is writable; a failure leaves it as it was.
     */
    private static void cleanTimeoutMemory(Path tcpto) {
        if (!java.nio.file.Files.isRegularFile(tcpto)) {
            return; // a FIFO would block the start for good (C opens it with O_NDELAY and gives up)
        }
        try (FileChannel channel = FileChannel.open(tcpto, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1024);
            while (zeros.hasRemaining()) {
                channel.write(zeros, zeros.position());
            }
        } catch (IOException | RuntimeException e) {
            // C: "if it fails, bummer"
        }
    }
}
