package dev.qremote.fakemx;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** One connection to the fake SMTP server: reads commands, answers by the script, records everything. */
final class SmtpSession {
    private static final int MAX_LINE = 64 * 1024;

    private final Socket socket;
    private final SmtpScript script;
    private final Transcript transcript = new Transcript();
    private final Consumer<ReceivedMessage> onMessage;
    private InputStream in;
    private OutputStream out;

    private String mailFrom;
    private List<String> mailParameters = List.of();
    private final List<String> recipients = new ArrayList<>();
    private boolean pipelined;
    private long messageLength;

    SmtpSession(Socket socket, SmtpScript script, Consumer<ReceivedMessage> onMessage) {
        this.socket = socket;
        this.script = script;
        this.onMessage = onMessage;
    }

    Transcript transcript() {
        return transcript;
    }

    void run() {
        try (socket) {
            in = new BufferedInputStream(new TeeInputStream(socket.getInputStream(), transcript));
            out = socket.getOutputStream();
            if (!perform(script.ruleFor("GREETING", "").orElse(new Action.Standard()), "GREETING -")) {
                return;
            }
            while (true) {
                Optional<String> line = readLine();
                if (line.isEmpty()) {
                    return;
                }
                pipelined |= in.available() > 0;
                String command = line.get();
                int space = command.indexOf(' ');
                String verb = (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
                String argument = space < 0 ? "" : command.substring(space + 1);
                Action action = script.ruleFor(verb, argument).orElseGet(() -> standard(verb, argument));
                if (!perform(action, verb + " " + argument)) {
                    return;
                }
                if (verb.equals("QUIT")) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            transcript.note("connection error: " + e);
        } finally {
            transcript.note("closed");
        }
    }

    private Action standard(String verb, String argument) {
        return switch (verb) {
            case "EHLO" -> script.ehloSupported() ? ehloReply() : Action.reply(500, "5.5.1 EHLO not understood");
            case "HELO" -> Action.reply(250, script.hostname());
            case "MAIL" -> Action.reply(250, "2.1.0 sender ok");
            case "RCPT" -> mailFrom == null ? Action.reply(503, "5.5.1 MAIL first")
                    : Action.reply(250, "2.1.5 recipient ok");
            case "DATA" -> recipients.isEmpty() ? Action.reply(554, "5.5.1 no valid recipients")
                    : Action.reply(354, "go ahead");
            case "RSET", "NOOP" -> Action.reply(250, "2.0.0 ok");
            case "QUIT" -> Action.reply(221, "2.0.0 bye");
            case "GREETING" -> Action.reply(220, script.hostname() + " ESMTP fake-mx");
            case "MESSAGE" -> script.sizeLimit() > 0 && messageLength > script.sizeLimit()
                    ? Action.reply(552, "5.3.4 message too big")
                    : Action.reply(250, "2.0.0 ok " + messageLength + " bytes");
            default -> Action.reply(502, "5.5.2 command not implemented");
        };
    }

    private Action ehloReply() {
        List<String> lines = new ArrayList<>();
        lines.add(script.hostname());
        lines.addAll(script.extensions());
        if (script.sizeLimit() > 0) {
            lines.add("SIZE " + script.sizeLimit());
        }
        return new Action.Reply(250, lines);
    }

    /** Does the action; false when the session is over. */
    private boolean perform(Action action, String context) throws IOException {
        if (action instanceof Action.Standard) {
            int space = context.indexOf(' ');
            return perform(standard(context.substring(0, space), context.substring(space + 1)), context);
        }
        if (action instanceof Action.Delay d) {
            sleep(d.delay().toMillis());
            return perform(d.then(), context);
        }
        if (action instanceof Action.ThenClose t) {
            perform(t.first(), context);
            return false;
        }
        if (action instanceof Action.Raw raw) {
            send(raw.bytes());
            return true;
        }
        if (action instanceof Action.Reply reply) {
            send(reply.wire());
            return afterReply(reply.code(), context);
        }
        return false; // Action.Close
    }

    /** Follows the envelope state from the reply the script chose, and reads the data after a 354. */
    private boolean afterReply(int code, String context) throws IOException {
        int space = context.indexOf(' ');
        String verb = context.substring(0, space);
        String argument = context.substring(space + 1);
        boolean positive = code >= 200 && code < 400;
        switch (verb) {
            case "MAIL" -> {
                if (positive) {
                    recipients.clear();
                    List<String> parts = pathAndParameters(argument, "FROM:");
                    mailFrom = parts.get(0);
                    mailParameters = parts.subList(1, parts.size());
                }
            }
            case "RCPT" -> {
                if (positive) {
                    recipients.add(pathAndParameters(argument, "TO:").get(0));
                }
            }
            case "RSET", "EHLO", "HELO" -> {
                mailFrom = null;
                recipients.clear();
            }
            case "DATA" -> {
                if (code == 354) {
                    return readMessage();
                }
            }
            default -> {
                // no state to follow
            }
        }
        return true;
    }

    private boolean readMessage() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            Optional<byte[]> line = readRawLine();
            if (line.isEmpty()) {
                return false; // the client went away mid-message: nothing was received
            }
            byte[] bytes = line.get();
            if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                break;
            }
            int skip = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
            data.write(bytes, skip, bytes.length - skip);
        }
        byte[] message = data.toByteArray();
        messageLength = message.length;
        Action reply = script.ruleFor("MESSAGE", "").orElse(new Action.Standard());
        Action last = reply;
        while (last instanceof Action.Delay d) {
            last = d.then();
        }
        if (last instanceof Action.Standard) {
            last = standard("MESSAGE", "");
        }
        if (last instanceof Action.Reply r && r.code() >= 200 && r.code() < 300) {
            onMessage.accept(new ReceivedMessage(mailFrom, mailParameters, recipients, message, pipelined));
        }
        mailFrom = null;
        recipients.clear();
        return perform(reply, "MESSAGE -");
    }

    /** "FROM:<a@b> SIZE=1" gives ["a@b", "SIZE=1"]. */
    private static List<String> pathAndParameters(String argument, String prefix) {
        String rest = argument.regionMatches(true, 0, prefix, 0, prefix.length())
                ? argument.substring(prefix.length()) : argument;
        List<String> parts = new ArrayList<>();
        int close = rest.startsWith("<") ? rest.indexOf('>') : -1;
        if (close > 0) {
            parts.add(rest.substring(1, close));
            rest = rest.substring(close + 1);
        } else {
            int space = rest.indexOf(' ');
            parts.add(space < 0 ? rest : rest.substring(0, space));
            rest = space < 0 ? "" : rest.substring(space);
        }
        for (String p : rest.trim().split(" +")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private Optional<String> readLine() throws IOException {
        return readRawLine().map(b -> {
            int end = b.length;
            if (end > 0 && b[end - 1] == '\n') {
                end--;
            }
            if (end > 0 && b[end - 1] == '\r') {
                end--;
            }
            return new String(b, 0, end, StandardCharsets.ISO_8859_1);
        });
    }

    /** One line with its terminator; empty at end of stream. */
    private Optional<byte[]> readRawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n' || line.size() >= MAX_LINE) {
                return Optional.of(line.toByteArray());
            }
        }
        return line.size() == 0 ? Optional.empty() : Optional.of(line.toByteArray());
    }

    private void send(byte[] bytes) throws IOException {
        transcript.add(Transcript.Direction.SERVER, bytes, 0, bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies what the client sends into the transcript as it is read. */
    private static final class TeeInputStream extends InputStream {
        private final InputStream in;
        private final Transcript transcript;

        TeeInputStream(InputStream in, Transcript transcript) {
            this.in = in;
            this.transcript = transcript;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                transcript.add(Transcript.Direction.CLIENT, b, off, n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
