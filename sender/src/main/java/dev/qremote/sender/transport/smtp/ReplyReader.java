package dev.qremote.sender.transport.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads replies strictly (RFC 5321 4.2): every line is three digits, then '-' (more follows), ' ' or the end
 * of the line (last line). Lines end in LF; a CR before it is dropped. When the lines of one reply carry
 * different codes, the last line's code decides (as classic qmail and Postfix read it) and every line is
 * kept for the report: one odd reply must not turn into a protocol error that repeats at every retry.
 * What is kept is bounded: at most {@value #KEPT_BYTES} bytes of text, and a reply longer than
 * {@value #MAX_REPLY_BYTES} bytes is a protocol violation rather than a memory leak.
 */
final class ReplyReader {
    static final int KEPT_BYTES = 8192;
    static final int MAX_REPLY_BYTES = 1 << 20;
    /** Of the last line, which decides the code, this much is kept even past {@link #KEPT_BYTES} (fresh9 L2). */
    static final int LAST_LINE_BYTES = 512;

    private final InputStream in;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    Reply read(String command) throws IOException, SmtpProtocolException {
        List<String> lines = new ArrayList<>();
        int kept = 0;
        int total = 0;
        while (true) {
            // the first four bytes decide code and separator; they are read even when the text is not kept
            StringBuilder head = new StringBuilder(4);
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw total == 0 ? new ClosedBeforeReplyException()
                            : new EOFException("connection closed by the server");
                }
                if (++total > MAX_REPLY_BYTES) {
                    lines.add(head.append(line).toString());
                    throw new SmtpProtocolException(command, "reply too long", lines);
                }
                if (c == '\r') {
                    continue;
                }
                if (head.length() < 4) {
                    head.append((char) c);
                } else if (kept + line.length() < KEPT_BYTES || line.length() < LAST_LINE_BYTES) {
                    line.append((char) c);
                }
            }
            String first = head.toString();
            boolean last = first.length() == 3 || first.length() > 3 && first.charAt(3) == ' ';
            if (kept < KEPT_BYTES || last) {
                String text = first + (kept + line.length() < KEPT_BYTES ? line : line.substring(0,
                        Math.min(line.length(), Math.max(LAST_LINE_BYTES, KEPT_BYTES - kept))));
                kept += text.length() + 1;
                lines.add(text);
            }
            int code = codeOf(first);
            if (code < 0) {
                throw new SmtpProtocolException(command, "a reply line without a code", lines);
            }
            if (first.length() == 3 || first.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
            if (first.charAt(3) != '-') {
                throw new SmtpProtocolException(command, "a reply line without a separator", lines);
            }
        }
    }

    /** The code of a line, or -1 when it has none: three digits, the first 2 to 5. */
    private static int codeOf(String line) {
        if (line.length() < 3) {
            return -1;
        }
        char a = line.charAt(0);
        char b = line.charAt(1);
        char c = line.charAt(2);
        if (a < '2' || a > '5' || b < '0' || b > '9' || c < '0' || c > '9') {
            return -1;
        }
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }
}
