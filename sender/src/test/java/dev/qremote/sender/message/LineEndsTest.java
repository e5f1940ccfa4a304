package dev.qremote.sender.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LineEnds' word-at-a-time scan against the rule it must keep, a byte at a time: long runs without line
 * breaks (where the scan works eight bytes at once), every byte value (the 8-bit ones, NUL, and the bytes
 * next to CR and LF, which a wrong bit trick would take for them), CR and LF at every offset in a word, and
 * the input cut into pieces anywhere (a CR at the end of one piece, a '.' at the start of the next).
 */
class LineEndsTest {

    @Test
    void theScanFindsTheFirstLineBreakAtEveryOffsetWhateverTheOtherBytes() {
        SplittableRandom random = new SplittableRandom(14);
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                for (byte mark : new byte[] {'\r', '\n'}) {
                    byte[] bytes = new byte[length];
                    for (int i = 0; i < length; i++) {
                        bytes[i] = ordinary(random);
                    }
                    if (at < length) {
                        bytes[at] = mark;
                        if (at + 1 < length && random.nextBoolean()) {
                            bytes[at + 1] = random.nextBoolean() ? (byte) '\r' : (byte) '\n'; // a later one is not first
                        }
                    }
                    for (int from = 0; from <= Math.min(at, length); from++) {
                        assertThat(LineEnds.lineBreak(bytes, from, length)).as("%s from %d", HexFormat.of().formatHex(bytes), from)
                                .isEqualTo(at);
                    }
                }
            }
        }
    }

    @Test
    void convertingInAnyPiecesGivesWhatTheByteAtATimeRuleGives() {
        SplittableRandom random = new SplittableRandom(1414);
        for (int round = 0; round < 3000; round++) {
            byte[] input = message(random);
            boolean stuffDots = random.nextBoolean();
            byte[] expected = byteAtATime(input, stuffDots);
            LineEnds lineEnds = new LineEnds(stuffDots);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < input.length) {
                int piece = Math.min(input.length - at, 1 + random.nextInt(random.nextBoolean() ? 9 : 300));
                byte[] src = java.util.Arrays.copyOfRange(input, at, at + piece);
                byte[] dst = new byte[LineEnds.room(piece)];
                out.write(dst, 0, lineEnds.convert(src, piece, dst));
                at += piece;
            }
            assertThat(out.toByteArray()).as("%s, dots %s", HexFormat.of().formatHex(input), stuffDots)
                    .isEqualTo(expected);
        }
    }

    /** Runs of any byte but CR and LF, up to a few hundred long, between line breaks of every kind. */
    private static byte[] message(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = random.nextInt(12);
        for (int l = 0; l < lines; l++) {
            if (random.nextInt(3) == 0) {
                out.write('.');
            }
            int run = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(20);
            for (int i = 0; i < run; i++) {
                out.write(ordinary(random));
            }
            switch (random.nextInt(4)) {
                case 0 -> out.write('\n');
                case 1 -> out.write('\r');
                case 2 -> out.writeBytes(new byte[] {'\r', '\n'});
                default -> out.writeBytes(new byte[] {'\n', '\r'});
            }
        }
        return out.toByteArray();
    }

    /** Any byte but CR and LF, the bytes that differ from them in one bit or the high bit often. */
    private static byte ordinary(SplittableRandom random) {
        byte[] near = {0x00, 0x0B, 0x0C, 0x0E, 0x09, 0x08, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, 0x2E, 0x1A, 0x1D, 0x0F, 0x01};
        byte b = random.nextBoolean() ? near[random.nextInt(near.length)] : (byte) random.nextInt(256);
        return b == '\r' || b == '\n' ? (byte) 'x' : b;
    }

    /** The rule, one byte at a time: CRLF, lone LF and lone CR become CRLF; a line's leading '.' doubled (with dots). */
    private static byte[] byteAtATime(byte[] input, boolean stuffDots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean pendingCr = false;
        boolean lineStart = true;
        for (byte b : input) {
            if (pendingCr) {
                out.writeBytes(new byte[] {'\r', '\n'});
                pendingCr = false;
                lineStart = true;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                out.writeBytes(new byte[] {'\r', '\n'});
                lineStart = true;
            } else {
                if (stuffDots && lineStart && b == '.') {
                    out.write('.');
                }
                out.write(b);
                lineStart = false;
            }
        }
        return out.toByteArray(); // a CR at the very end waits for finish(), as in LineEnds
    }
}
