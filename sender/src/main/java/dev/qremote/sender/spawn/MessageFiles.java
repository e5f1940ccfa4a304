package dev.qremote.sender.spawn;

import dev.qremote.sender.report.ReportTemplate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens queue/mess files as C qmail-spawn does before it runs qmail-remote: the path relative to queue/mess,
 * readable, a regular file, owned by the queue user (qmailq): anything else may be a file an attacker put
 * there. Java has no fstat of an open channel, so the file is looked at by name before it is opened (a
 * FIFO must not be opened: it would block) and again after; the queue is qmail's, nothing renames in it.
 */
final class MessageFiles {
    static final String UNABLE_TO_OPEN = ResidentSpawn.answer(ReportTemplate.SPAWN_CANNOT_OPEN);
    static final String UNABLE_TO_FSTAT = ResidentSpawn.answer(ReportTemplate.SPAWN_CANNOT_FSTAT);
    static final String WRONG_TYPE = ResidentSpawn.answer(ReportTemplate.SPAWN_WRONG_TYPE);
    static final String WRONG_OWNER = ResidentSpawn.answer(ReportTemplate.SPAWN_WRONG_OWNER);

    /** An opened message file, or the text that refuses the request. */
    sealed interface Opened permits Opened.File, Opened.Refused {
        record File(FileChannel channel) implements Opened {
        }

        record Refused(String text) implements Opened {
        }
    }

    /** Uids remembered as the queue user's or not; more are looked up every time (an owner per message). */
    private static final int MAX_UIDS = 64;

    private final Path queueMess;
    private final UserPrincipal owner;
    private final Map<Integer, Boolean> queueUid = new ConcurrentHashMap<>();

    /**
     * @param queueMess QMAILHOME/queue/mess
     * @param owner the user message files must belong to (qmailq, looked up by name at start as C does)
     */
    MessageFiles(Path queueMess, UserPrincipal owner) {
        this.queueMess = queueMess;
        this.owner = owner;
    }

    /** Opens {@code messageId} (digits and '/', checked before) for reading; the caller closes the channel. */
    Opened open(String messageId) {
        if (messageId.endsWith("/")) {
            return new Opened.Refused(UNABLE_TO_OPEN); // the kernel's ENOTDIR; Path would drop the slash
        }
        Path file = queueMess.resolve(messageId);
        PosixFileAttributes before;
        try {
            before = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return new Opened.Refused(UNABLE_TO_OPEN);
        }
        if (!before.isRegularFile()) {
            // C opens first (a directory or FIFO opens, O_NDELAY) and then finds the type wrong
            return new Opened.Refused(Files.isReadable(file) ? WRONG_TYPE : UNABLE_TO_OPEN);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            return new Opened.Refused(UNABLE_TO_OPEN);
        }
        String refusal;
        try {
            Map<String, Object> after = Files.readAttributes(file, "unix:fileKey,isRegularFile,uid");
            refusal = !Objects.equals(before.fileKey(), after.get("fileKey")) ? UNABLE_TO_OPEN // replaced meanwhile
                    : !Boolean.TRUE.equals(after.get("isRegularFile")) ? WRONG_TYPE
                    : !queueUsers(file, after) ? WRONG_OWNER : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            refusal = UNABLE_TO_FSTAT;
        }
        if (refusal == null) {
            return new Opened.File(channel);
        }
        close(channel);
        return new Opened.Refused(refusal);
    }

    /**
     * Whether the file of these attributes belongs to the queue user. The JDK names an owner with getpwuid,
     * which reads the user database (/etc/passwd, or a directory service) every time; so the answer is
     * learned once per uid, from a look at the file that gives its uid and owner together, and C's rule holds:
     * the uid compared with the queue user's as found at start.
     */
    private boolean queueUsers(Path file, Map<String, Object> after) throws IOException {
        Integer uid = (Integer) after.get("uid");
        Boolean known = queueUid.get(uid);
        if (known != null) {
            return known;
        }
        Map<String, Object> named = Files.readAttributes(file, "unix:fileKey,uid,owner");
        if (!Objects.equals(named.get("fileKey"), after.get("fileKey")) || !uid.equals(named.get("uid"))) {
            return false; // changed under us: not learned, and not delivered
        }
        boolean mine = owner.equals(named.get("owner"));
        if (queueUid.size() < MAX_UIDS) {
            queueUid.put(uid, mine);
        }
        return mine;
    }

    static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only file: nothing was written that could be lost
        }
    }
}
