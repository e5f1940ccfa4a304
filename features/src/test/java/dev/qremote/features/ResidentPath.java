package dev.qremote.features;

import dev.qremote.bench.Bench;
import dev.qremote.bench.ReportText;
import dev.qremote.bench.SenderRun;
import dev.qremote.sender.spawn.ReportTranslation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The second way the features run (system property {@code qremote.path=resident}): each delivery goes
 * through a real {@code bin/qmail-rspawn}, started for the scenario with the environment per-process
 * qmail-remote gets, driven as qmail-send drives it. The message is a queue file
 * ({@code queue/mess/N/INODE}, owned by the user named as queue user); the request carries the sender and
 * the one recipient; the host is what follows the recipient's last '@', as in qmail-rspawn. What the steps
 * then compare is qmail-rspawn's answer against what C qmail-rspawn's {@code report()} makes of the
 * qmail-remote reports the scenario expects ({@link ReportTranslation}), so the same expectations hold on
 * both paths and a difference fails.
 */
final class ResidentPath {
    static final String PROPERTY = "qremote.path";
    /** The tag of scenarios that only make sense for per-process qmail-remote. */
    static final String PER_PROCESS = "@per-process";
    /** The tag of scenarios that drive qmail-rspawn themselves (SpawnSteps): resident already. */
    static final String SPAWN = "@spawn";
    /** The slot every request uses: not 0, so that an answer for the wrong slot shows. */
    static final int SLOT = 7;
    /** qmail's conf-split: the queue's subdirectories. */
    private static final int SPLIT = 23;
    /** The slot limit bin/qmail-rspawn announces by default (C's conf-spawn). */
    private static final int SLOT_LIMIT = 120;

    private ResidentPath() {
    }

    /** True when this run of the features goes through qmail-rspawn. */
    static boolean active() {
        return "resident".equals(System.getProperty(PROPERTY));
    }

    /**
     * Delivers {@code message} for {@code argv} (host, sender, one recipient) through a qmail-rspawn started
     * with the bench's environment and {@code extra}. The run's stdout is everything qmail-rspawn wrote (slot
     * limit, then its answers), its status qmail-rspawn's exit status once its input was closed, its elapsed
     * time from the request to the answer.
     *
     * @throws IllegalArgumentException when the arguments are none qmail-send could ask for: the scenario
     *     must be tagged {@value #PER_PROCESS}
     */
    static SenderRun deliver(Bench bench, List<String> argv, byte[] message, Map<String, String> extra)
            throws IOException, InterruptedException {
        askable(argv);
        Map<String, String> env = new HashMap<>(bench.environment());
        env.putAll(extra);
        bench.publishDns();
        SenderRun run = deliver(bench.qmailHome(), bench.workDir(), env, argv, message);
        bench.awaitIdle();
        return run;
    }

    /**
     * As {@link #deliver(Bench, List, byte[], Map)} without a bench: the qmail home {@code qmailHome} (its
     * queue is made there), scratch files in {@code workDir}, and exactly {@code env} (with PATH and JAVA_HOME)
     * as qmail-rspawn's environment. For peers of the tests' own making, such as the container tests'.
     *
     * @throws IllegalArgumentException when the arguments are none qmail-send could ask for
     */
    static SenderRun deliver(Path qmailHome, Path workDir, Map<String, String> env, List<String> argv,
            byte[] message) throws IOException, InterruptedException {
        askable(argv);
        String recipient = argv.get(2);
        String id = queue(qmailHome.resolve("queue/mess"), message);
        env = new HashMap<>(env);
        env.put("QREMOTE_QMAILQ", Files.getOwner(qmailHome.resolve("queue/mess").resolve(id)).getName());
        Path reuse = qmailHome.resolve("control/reuseidle");
        if (!Files.exists(reuse)) {
            // one delivery per process: a kept session would only change the witness after the dot from QUIT
            // to EHLO, and the scenarios compare the wire byte for byte (reuse has its own features)
            Files.createDirectories(reuse.getParent());
            Files.writeString(reuse, "0\n");
        }
        Path tcpto = qmailHome.resolve("queue/lock/tcpto");
        byte[] memory = Files.isRegularFile(tcpto) ? Files.readAllBytes(tcpto) : null;
        Path stderr = Files.createTempFile(workDir, "rspawn-stderr", ".bin");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Duration elapsed = Duration.ZERO;
        int status;
        Timer watchdog = new Timer("rspawn-watchdog", true);
        try (SpawnDriver driver = SpawnDriver.start(env, stderr)) {
            watchdog.schedule(new TimerTask() {
                @Override
                public void run() {
                    driver.close(); // as SenderCommand's 120 s, with room for qmail-rspawn's start and end
                }
            }, 180_000);
            int limit = driver.slotLimit();
            if (limit >= 0) {
                out.write(limit);
                if (memory != null) {
                    // qmail-rspawn zeroed it at start (C's tcpto_clean); what the scenario wrote stands for
                    // what earlier deliveries of the long-running process remembered
                    Files.write(tcpto, memory);
                }
                long started = System.nanoTime();
                driver.sendRaw(request(id, argv.get(1), recipient));
                SpawnDriver.Answer answer = driver.next();
                elapsed = Duration.ofNanos(System.nanoTime() - started);
                driver.closeRequests();
                for (SpawnDriver.Answer a = answer; a != null; a = driver.next()) {
                    out.write(a.slot());
                    out.writeBytes(a.text().getBytes(Charset.forName("ISO-8859-1")));
                    out.write(0);
                }
            }
            status = driver.awaitExit(60);
        } finally {
            watchdog.cancel();
        }
        return new SenderRun(out.toByteArray(), Files.readAllBytes(stderr), status, elapsed);
    }

    private static void askable(List<String> argv) {
        if (argv.size() != 3) {
            throw new IllegalArgumentException("qmail-send asks qmail-rspawn for one recipient at a time, not "
                    + (argv.size() - 2) + ": tag the scenario " + PER_PROCESS);
        }
        String recipient = argv.get(2);
        if (!recipient.substring(recipient.lastIndexOf('@') + 1).equals(argv.get(0))) {
            throw new IllegalArgumentException("qmail-rspawn takes the host from the recipient, and \"" + argv.get(0)
                    + "\" is not the domain of " + recipient + ": tag the scenario " + PER_PROCESS);
        }
    }

    /**
     * The one answer's text (between slot byte and NUL) in what qmail-rspawn wrote, after checking the shape
     * qmail-send relies on: the slot limit, then exactly one answer, for the slot asked.
     *
     * @throws AssertionError when the shape is not that
     */
    static byte[] answer(SenderRun run) {
        byte[] out = run.stdout();
        String shown = ReportText.visible(out);
        if (out.length < 3 || (out[0] & 0xff) != SLOT_LIMIT || (out[1] & 0xff) != SLOT || out[out.length - 1] != 0) {
            throw new AssertionError("qmail-rspawn wrote no slot limit " + SLOT_LIMIT + " and one answer for slot "
                    + SLOT + " but: " + shown);
        }
        byte[] text = Arrays.copyOfRange(out, 2, out.length - 1);
        for (byte b : text) {
            if (b == 0) {
                throw new AssertionError("qmail-rspawn wrote more than one answer: " + shown);
            }
        }
        return text;
    }

    /** What qmail-rspawn answers when per-process qmail-remote prints {@code reports}. */
    static byte[] expected(byte[] reports) {
        return ReportTranslation.translate(reports);
    }

    /**
     * What the answer must start with when per-process qmail-remote's reports start with {@code prefix}, and
     * whether its first byte is known: the letter is K, Z or D of the first message report (the prefix must
     * reach its letter), or D for a first report h, Z for s.
     */
    record Prefix(boolean letterKnown, byte[] text) {
    }

    static Prefix expectedPrefix(byte[] prefix) {
        boolean ended = prefix.length > 0 && prefix[prefix.length - 1] == 0;
        byte[] whole = ended ? prefix : Arrays.copyOf(prefix, prefix.length + 1);
        boolean letterKnown = prefix.length > 0 && (prefix[0] == 'h' || prefix[0] == 's');
        for (int start = 0; start < whole.length && !letterKnown; start++) {
            if (start == 0 || whole[start - 1] == 0) {
                byte b = whole[start];
                letterKnown = b == 'K' || b == 'Z' || b == 'D';
            }
        }
        byte[] text = ReportTranslation.translate(whole);
        return new Prefix(letterKnown, text);
    }

    /** Writes the message as qmail-queue would: queue/mess/(inode mod split)/inode; returns that path. */
    private static String queue(Path mess, byte[] message) throws IOException {
        Files.createDirectories(mess);
        Path temp = Files.createTempFile(mess, "new", ".tmp");
        Files.write(temp, message);
        long inode = ((Number) Files.getAttribute(temp, "unix:ino")).longValue();
        String id = (inode % SPLIT) + "/" + inode;
        Files.createDirectories(mess.resolve(Long.toString(inode % SPLIT)));
        Files.move(temp, mess.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /**
     * The request: slot, message path, sender, recipient, each field NUL-terminated. The fields are the bytes
     * per-process qmail-remote gets as arguments (a String argument reaches it in the JVM's encoding for them).
     */
    private static byte[] request(String id, String sender, String recipient) {
        Charset argv = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SLOT);
        for (String field : List.of(id, sender, recipient)) {
            out.writeBytes(field.getBytes(argv));
            out.write(0);
        }
        return out.toByteArray();
    }
}
