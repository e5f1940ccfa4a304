package dev.qremote.fakemx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** What the fake server does at one step of a session. */
public sealed interface Action {

    /** A well-formed reply: every line carries {@code code}, '-' on all but the last. */
    record Reply(int code, List<String> lines) implements Action {
        public Reply {
            lines = lines.isEmpty() ? List.of("") : List.copyOf(lines);
        }

        byte[] wire() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                out.append(code).append(i == lines.size() - 1 ? (line.isEmpty() ? "" : " ") : "-")
                        .append(line).append("\r\n");
            }
            return out.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Exactly these bytes: garbage, mismatched codes, bare LF, whatever a test needs. */
    record Raw(byte[] bytes) implements Action {
    }

    /** What the polite default server would do at this step. */
    record Standard() implements Action {
    }

    /** Closes the connection without a word. */
    record Close() implements Action {
    }

    /** Does {@code then} after waiting, or as soon as the client hangs up during the wait. */
    record Delay(Duration delay, Action then) implements Action {
    }

    /** Does {@code first}, then closes (a 421, say). */
    record ThenClose(Action first) implements Action {
    }

    /**
     * Does {@code then}, writing whatever it sends one byte at a time with {@code pause} between the bytes:
     * a reply split over many small writes (TCP promises a byte stream, not whole lines).
     */
    record Dribble(Duration pause, Action then) implements Action {
    }

    /**
     * Does {@code first} and sends {@code bytes} right after its reply, in the same write: an unsolicited
     * line the client did not ask for. Nothing is sent when {@code first} closes without a word.
     */
    record Extra(Action first, byte[] bytes) implements Action {
        public Extra {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    static Action reply(int code, String... lines) {
        return new Reply(code, List.of(lines));
    }
}
