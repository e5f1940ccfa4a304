package dev.qremote.sender.delivery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;

/**
 * qmail's memory of hosts that time out ({@code queue/lock/tcpto}, read by qmail-tcpto and cleared by
 * qmail-tcpok): 64 records of 16 bytes (IPv4 address, error count at byte 4, little-endian time of the last
 * error at bytes 8..11). After a second timeout at least two minutes after the first, an address is skipped
 * for about an hour. Used only when the file exists, as classic does; IPv6 addresses do not fit the format
 * and are never recorded. Any trouble with the file means "no memory", never a failed delivery.
 *
 * <p>Thread-safe, and holds no state between calls: one instance serves every delivery of a JVM. Writers
 * of one instance take turns before taking the file lock (a JVM may hold one lock per file: a second
 * FileChannel lock would fail); another instance on the same file, in this JVM or another process, waits
 * for the file lock.
 */
public final class TimeoutMemory {
    private static final int RECORD = 16;
    private static final int SIZE = 1024;

    private final Path file;
    private final Clock clock;
    private final long pid;
    private final java.util.concurrent.locks.ReentrantLock writers = new java.util.concurrent.locks.ReentrantLock();

    public TimeoutMemory(Path file, Clock clock, long pid) {
        this.file = file;
        this.clock = clock;
        this.pid = pid;
    }

    /**
     * What the table says of an address before a connection: classic tcpto()'s answer, and whether the
     * address was there at all (its flagwasthere), which decides whether a made connection must clear it.
     */
    public enum Check {
        UNLISTED, LISTED, SKIP
    }

    /** What the table says of {@code address} now (see {@link Check}); "unlisted" when the file is unusable. */
    public Check check(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return Check.UNLISTED;
        }
        try (FileChannel channel = open(StandardOpenOption.READ)) {
            byte[] table = read(channel);
            int i = find(table, address.getAddress());
            if (i < 0) {
                return Check.UNLISTED;
            }
            int errors = table[i * RECORD + 4];
            long when = when(table, i);
            return errors >= 2 && now() - when < ((60 + (pid & 31)) << 6) ? Check.SKIP : Check.LISTED;
        } catch (IOException e) {
            return Check.UNLISTED;
        }
    }

    /** True when {@code address} timed out repeatedly and recently: skip it this time. */
    public boolean shouldSkip(InetAddress address) {
        return check(address) == Check.SKIP;
    }

    /** Records the result of a connection attempt: a timeout counts against the address, success clears it. */
    public void record(InetAddress address, boolean timedOut) {
        record(address, timedOut, timedOut ? Check.LISTED : check(address));
    }

    /**
     * As {@link #record(InetAddress, boolean)}, with what {@link #check} said before the connection: a made
     * connection to an address that was not listed then leaves the file alone, unread (classic forgets only
     * what its check before connecting saw).
     */
    public void record(InetAddress address, boolean timedOut, Check before) {
        if (!(address instanceof Inet4Address) || (!timedOut && before == Check.UNLISTED)) {
            return;
        }
        writers.lock();
        try {
            update(address.getAddress(), timedOut);
        } finally {
            writers.unlock();
        }
    }

    private void update(byte[] ip, boolean timedOut) {
        try (FileChannel channel = open(StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = lock(channel)) {
            byte[] table = read(channel);
            int records = table.length / RECORD;
            int i = find(table, ip);
            if (i >= 0) {
                if (!timedOut) {
                    table[i * RECORD + 4] = 0;
                } else {
                    int errors = table[i * RECORD + 4];
                    if (errors != 0 && now() < 120 + when(table, i)) {
                        return;
                    }
                    table[i * RECORD + 4] = (byte) Math.min(10, errors + 1);
                    setWhen(table, i, now());
                }
                write(channel, table, i);
                return;
            }
            if (!timedOut || records == 0) {
                return;
            }
            i = freeOrOldest(table, records);
            Arrays.fill(table, i * RECORD, (i + 1) * RECORD, (byte) 0);
            System.arraycopy(ip, 0, table, i * RECORD, 4);
            table[i * RECORD + 4] = 1;
            setWhen(table, i, now());
            write(channel, table, i);
        } catch (NoSuchFileException e) {
            // no tcpto file: qmail was installed without one, so nothing is remembered
        } catch (IOException | OverlappingFileLockException e) {
            // losing one memory entry costs a retry, never a message
        }
    }

    /**
     * The file lock. Another instance on this file in this JVM holds it only for one short update; its
     * OverlappingFileLockException is waited out (at most about a second), not taken for "no memory".
     */
    private static FileLock lock(FileChannel channel) throws IOException {
        for (int tries = 0; ; tries++) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                if (tries >= 500) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        }
    }

    /**
     * Opens the table, which must be a regular file: a FIFO there would block every delivery in open
     * (classic qmail opens it with O_NDELAY).
     */
    private FileChannel open(StandardOpenOption... options) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return FileChannel.open(file, options);
    }

    private static byte[] read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // keep reading until the table is complete or the file ends
        }
        int usable = buffer.position() / RECORD * RECORD;
        return Arrays.copyOf(buffer.array(), usable);
    }

    private static void write(FileChannel channel, byte[] table, int i) throws IOException {
        ByteBuffer record = ByteBuffer.wrap(table, i * RECORD, RECORD);
        long position = (long) i * RECORD;
        while (record.hasRemaining()) {
            position += channel.write(record, position);
        }
    }

    private static int find(byte[] table, byte[] ip) {
        for (int i = 0; i < table.length / RECORD; i++) {
            if (Arrays.equals(table, i * RECORD, i * RECORD + 4, ip, 0, 4)) {
                return i;
            }
        }
        return -1;
    }

    private static int freeOrOldest(byte[] table, int records) {
        for (int i = 0; i < records; i++) {
            if (table[i * RECORD + 4] == 0) {
                return i;
            }
        }
        int oldest = 0;
        long oldestScore = Long.MAX_VALUE;
        for (int i = 0; i < records; i++) {
            long score = when(table, i) + ((long) table[i * RECORD + 4] << 10);
            if (score < oldestScore) {
                oldest = i;
                oldestScore = score;
            }
        }
        return oldest;
    }

    private static long when(byte[] table, int i) {
        int o = i * RECORD + 8;
        return (table[o] & 0xffL) | (table[o + 1] & 0xffL) << 8 | (table[o + 2] & 0xffL) << 16
                | (table[o + 3] & 0xffL) << 24;
    }

    private static void setWhen(byte[] table, int i, long when) {
        int o = i * RECORD + 8;
        for (int k = 0; k < 4; k++) {
            table[o + k] = (byte) (when >>> (8 * k));
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
