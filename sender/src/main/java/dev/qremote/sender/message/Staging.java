package dev.qremote.sender.message;

import java.util.Arrays;

/** Bytes made ready for the wire and not yet taken; grows to what one piece of input makes, no further. */
final class Staging {
    private byte[] bytes = new byte[BufferSize.UNKNOWN]; // grows as pieces need (room)
    private int start;
    private int end;

    void write(int b) {
        room(1);
        bytes[end++] = (byte) b;
    }

    void write(byte[] src, int offset, int length) {
        room(length);
        System.arraycopy(src, offset, bytes, end, length);
        end += length;
    }

    /** Room for {@code n} more bytes, written straight into {@link #array()} from {@link #end()} on. */
    void reserve(int n) {
        room(n);
    }

    byte[] array() {
        return bytes;
    }

    int end() {
        return end;
    }

    /** Takes the bytes written into {@link #array()} up to {@code newEnd}. */
    void commit(int newEnd) {
        end = newEnd;
    }

    int available() {
        return end - start;
    }

    /** Moves up to {@code length} bytes into {@code dst}; returns how many. */
    int take(byte[] dst, int offset, int length) {
        int n = Math.min(length, end - start);
        System.arraycopy(bytes, start, dst, offset, n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return n;
    }

    private void room(int n) {
        if (end + n <= bytes.length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + n));
        }
    }
}
