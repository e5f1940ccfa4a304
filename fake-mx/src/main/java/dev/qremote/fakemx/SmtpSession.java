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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One connection to the fake SMTP server: reads commands, answers by the script, records everything it
 * reads and writes. Credentials sent during AUTH are recorded as "[redacted]", never in clear.
 */
final class SmtpSession {
    private static final int MAX_LINE = 64 * 1024;
    /** Bytes of a message (after DATA, before unstuffing) that come in before the CONTENT step acts. */
    static final int CONTENT_MARK = 1024;

    private final Socket plainSocket;
    private final int connection;
    private final SmtpScript script;
    private final Transcript transcript = new Transcript();
    private final Consumer<ReceivedMessage> onMessage;
    private final Authenticator authenticator;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private String mailFrom;
    private List<String> mailParameters = List.of();
    private final List<String> recipients = new ArrayList<>();
    private boolean pipelined;
    /** MAIL commands accepted in this session (MAILMAX counts them). */
    private int transactions;
    private long messageLength;
    private TlsInfo tls;
    private String authenticatedUser;
    private ByteArrayOutputStream chunks;
    private byte[] currentChunk;
    private boolean currentChunkLast;
    /** A chunk of this transaction was refused by the script: later ones get 503 (RFC 3030 2), none is kept. */
    private boolean chunkRefused;
    private final java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    private long dribbleMillis;
    private byte[] pendingExtra;
    /** What the server wrote since the message was complete, until the first LF; null when not listening. */
    private ByteArrayOutputStream afterMessage;
    private final List<String> repliesAfterMessage = new java.util.concurrent.CopyOnWriteArrayList<>();

    SmtpSession(Socket socket, SmtpScript script, Consumer<ReceivedMessage> onMessage) {
        this(socket, script, onMessage, 1);
    }

    /** {@code connection}: this session's connection to the server, from 1 (a GREETING rule's #N counts these). */
    SmtpSession(Socket socket, SmtpScript script, Consumer<ReceivedMessage> onMessage, int connection) {
        this.connection = connection;
        this.plainSocket = socket;
        this.socket = socket;
        this.script = script;
        this.onMessage = onMessage;
        this.authenticator = new Authenticator(script.users());
    }

    Transcript transcript() {
        return transcript;
    }

    /**
     * For each message the client completed (the final dot, or all of BDAT LAST read): the first line the
     * server wrote after it, without CRLF; "" when the server wrote nothing before the session ended.
     */
    List<String> repliesAfterMessage() {
        return List.copyOf(repliesAfterMessage);
    }

    /** The TLS state of the session, null while plaintext. */
    TlsInfo tls() {
        return tls;
    }

    void run() {
        try (plainSocket) {
            if (script.implicitTls()) {
                startTls();
            } else {
                attach(plainSocket);
            }
            if (!perform(script.ruleFor("GREETING", "", connection).orElse(new Action.Standard()), "GREETING -")) {
                return;
            }
            while (true) {
                Optional<String> line = readLine(false);
                if (line.isEmpty()) {
                    return;
                }
                pipelined |= in.available() > 0;
                String command = line.get();
                int space = command.indexOf(' ');
                String verb = (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
                String argument = space < 0 ? "" : command.substring(space + 1);
                int count = counts.merge(verb, 1, Integer::sum);
                Action action = script.ruleFor(verb, argument, count).orElseGet(() -> new Action.Standard());
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
            AcceptLoop.closeQuietly(socket);
            if (afterMessage != null) {
                endReplyAfterMessage();
            }
            transcript.note("closed");
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    private void startTls() throws IOException {
        ServerTls.Handshake handshake = script.tls().handshake(plainSocket);
        tls = handshake.info();
        transcript.note("TLS started: " + tls.protocol() + " " + tls.cipherSuite()
                + (tls.serverName() == null ? ", no SNI" : ", SNI " + tls.serverName())
                + (tls.clientSubject() == null ? "" : ", client " + tls.clientSubject()));
        attach(handshake.socket());
    }

    private Action standard(String verb, String argument) {
        return switch (verb) {
            case "EHLO" -> script.ehloSupported() ? ehloReply() : Action.reply(500, "5.5.1 EHLO not understood");
            case "HELO" -> Action.reply(250, script.hostname());
            case "MAIL" -> script.limits().mailMax() > 0 && transactions >= script.limits().mailMax()
                    ? Action.reply(452, "4.5.3 too many transactions in this session (MAILMAX)")
                    : Action.reply(250, "2.1.0 sender ok");
            case "RCPT" -> mailFrom == null ? Action.reply(503, "5.5.1 MAIL first")
                    : beyondLimits(argument).orElse(Action.reply(250, "2.1.5 recipient ok"));
            case "DATA" -> recipients.isEmpty() ? Action.reply(554, "5.5.1 no valid recipients")
                    : Action.reply(354, "go ahead");
            case "STARTTLS" -> script.tls() == null || tls != null ? Action.reply(502, "5.5.1 STARTTLS not offered")
                    : Action.reply(220, "2.0.0 ready to start TLS");
            case "AUTH" -> script.users().isEmpty() ? Action.reply(502, "5.5.1 AUTH not offered")
                    : authenticatedUser != null ? Action.reply(503, "5.5.1 already authenticated")
                    : new Action.Standard();
            case "RSET", "NOOP" -> Action.reply(250, "2.0.0 ok");
            case "QUIT" -> Action.reply(221, "2.0.0 bye");
            case "GREETING" -> Action.reply(220, script.hostname() + " ESMTP fake-mx");
            case "MESSAGE" -> script.sizeLimit() > 0 && messageLength > script.sizeLimit()
                    ? Action.reply(552, "5.3.4 message too big")
                    : Action.reply(250, "2.0.0 ok " + messageLength + " bytes");
            default -> Action.reply(502, "5.5.2 command not implemented");
        };
    }

    /** A 452 4.5.3 for a recipient beyond RCPTMAX or RCPTDOMAINMAX (RFC 9422 4.2, 4.3), as real servers answer. */
    private Optional<Action> beyondLimits(String argument) {
        Limits limits = script.limits();
        if (limits.rcptMax() > 0 && recipients.size() >= limits.rcptMax()) {
            return Optional.of(Action.reply(452, "4.5.3 too many recipients (RCPTMAX)"));
        }
        if (limits.rcptDomainMax() > 0) {
            java.util.Set<String> domains = new java.util.HashSet<>();
            recipients.forEach(r -> domains.add(domainOf(r)));
            domains.add(domainOf(pathAndParameters(argument, "TO:").get(0)));
            if (domains.size() > limits.rcptDomainMax()) {
                return Optional.of(Action.reply(452, "4.5.3 too many recipient domains (RCPTDOMAINMAX)"));
            }
        }
        return Optional.empty();
    }

    private static String domainOf(String path) {
        return path.substring(path.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private Action ehloReply() {
        List<String> lines = new ArrayList<>();
        lines.add(script.hostname());
        lines.addAll(script.extensions());
        if (script.sizeLimit() > 0) {
            lines.add("SIZE " + script.sizeLimit());
        }
        if (script.tls() != null && tls == null) {
            lines.add("STARTTLS");
        }
        if (!script.authMechanisms().isEmpty()) {
            lines.add("AUTH " + String.join(" ", script.authMechanisms()));
        }
        if (script.limits().announced()) {
            lines.add("LIMITS " + script.limits().text());
        }
        return new Action.Reply(250, lines);
    }

    /** Does the action; false when the session is over. */
    private boolean perform(Action action, String context) throws IOException {
        int space = context.indexOf(' ');
        String verb = context.substring(0, space);
        String argument = context.substring(space + 1);
        if (verb.equals("BDAT")) {
            return chunk(argument, action); // the chunk's bytes are read first, whatever the answer
        }
        if (action instanceof Action.Standard) {
            switch (verb) {
                case "AUTH" -> {
                    Action result = standard(verb, argument);
                    return result instanceof Action.Standard ? authenticate(argument) : perform(result, context);
                }
                case "TLS-HANDSHAKE" -> {
                    handshake();
                    return true;
                }
                case "BDAT-CHUNK" -> {
                    return standardChunk();
                }
                case "CONTENT" -> {
                    return true; // the polite server just reads on
                }
                default -> {
                    return perform(standard(verb, argument), context);
                }
            }
        }
        if (action instanceof Action.Delay d) {
            if (verb.equals("TLS-HANDSHAKE")) {
                sleep(d.delay().toMillis()); // a peek would take the client's first TLS bytes from the handshake
            } else {
                pause(d.delay().toMillis());
            }
            return perform(d.then(), context);
        }
        if (action instanceof Action.Dribble d) {
            long saved = dribbleMillis;
            dribbleMillis = Math.max(1, d.pause().toMillis());
            try {
                return perform(d.then(), context);
            } finally {
                dribbleMillis = saved;
            }
        }
        if (action instanceof Action.Extra e) {
            pendingExtra = e.bytes();
            try {
                boolean going = perform(e.first(), context);
                if (going && pendingExtra != null) {
                    send(new byte[0]); // the first action wrote nothing (a handshake, say): the extra goes alone
                }
                return going;
            } finally {
                pendingExtra = null;
            }
        }
        if (verb.equals("BDAT-CHUNK") && (action instanceof Action.Reply || action instanceof Action.Raw)) {
            chunks = null; // a scripted answer to a chunk: the message so far is not kept
            chunkRefused = action instanceof Action.Reply r && r.code() >= 400 && !currentChunkLast;
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
            return afterReply(reply.code(), verb, argument);
        }
        return false; // Action.Close
    }

    /** Follows the session state from the reply the script chose. */
    private boolean afterReply(int code, String verb, String argument) throws IOException {
        boolean positive = code >= 200 && code < 400;
        switch (verb) {
            case "MAIL" -> {
                if (positive) {
                    transactions++;
                    recipients.clear();
                    chunkRefused = false;
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
                chunkRefused = false;
            }
            case "STARTTLS" -> {
                if (code == 220 && script.tls() != null && tls == null) {
                    Action handshake = script.ruleFor("TLS-HANDSHAKE", "").orElse(new Action.Standard());
                    boolean going = perform(handshake, "TLS-HANDSHAKE -");
                    if (tls == null) {
                        // closed, or sent something else: the client's handshake cannot succeed
                        transcript.note("closed instead of the TLS handshake");
                        return false;
                    }
                    return going;
                }
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

    /** The server's side of the TLS handshake after 220 to STARTTLS; what came before it is discarded. */
    private void handshake() throws IOException {
        int early = in.available();
        if (early > 0) {
            // RFC 3207 5: what came before the handshake must not count (CVE-2011-0411)
            transcript.note("discarded " + early + " bytes the client sent before the TLS handshake");
        }
        startTls();
        mailFrom = null;
        recipients.clear();
        chunkRefused = false;
    }

    /**
     * BDAT (RFC 3030): reads exactly the announced number of bytes whatever the reply will be, then answers
     * (the script's BDAT rule, if any); the LAST chunk completes the message and gets the MESSAGE reply.
     */
    private boolean chunk(String argument, Action scripted) throws IOException {
        String[] words = argument.trim().split(" +");
        long size;
        try {
            size = Long.parseLong(words[0]);
        } catch (NumberFormatException e) {
            send(new Action.Reply(501, List.of("5.5.4 BDAT needs a size")).wire());
            return true;
        }
        boolean last = words.length > 1 && words[1].equalsIgnoreCase("LAST");
        byte[] bytes = in.readNBytes((int) Math.min(size, Integer.MAX_VALUE));
        transcript.add(Transcript.Direction.CLIENT, bytes, 0, bytes.length);
        if (bytes.length < size) {
            return false;
        }
        currentChunk = bytes;
        currentChunkLast = last;
        if (last) {
            messageComplete();
        }
        return perform(scripted, "BDAT-CHUNK " + argument);
    }

    /** The polite answer to the chunk just read: 250, or the MESSAGE reply after the LAST one. */
    private boolean standardChunk() throws IOException {
        byte[] bytes = currentChunk;
        if (mailFrom == null || recipients.isEmpty()) {
            send(new Action.Reply(503, List.of("5.5.1 no valid recipients")).wire());
            return true;
        }
        if (chunkRefused) {
            // RFC 3030 2: the transaction failed with the refused chunk; a pipelining server answers the rest 503
            chunkRefused = !currentChunkLast;
            send(new Action.Reply(503, List.of("5.5.1 an earlier chunk of this message was refused")).wire());
            return true;
        }
        if (chunks == null) {
            chunks = new ByteArrayOutputStream();
        }
        chunks.writeBytes(bytes);
        if (!currentChunkLast) {
            send(new Action.Reply(250, List.of("2.0.0 " + bytes.length + " octets received")).wire());
            return true;
        }
        byte[] message = chunks.toByteArray();
        chunks = null;
        return finishMessage(message);
    }

    /** The standard AUTH exchange for the mechanism named in {@code argument}. */
    private boolean authenticate(String argument) throws IOException {
        String[] words = argument.trim().split(" +", 2);
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        Optional<String> initial = words.length > 1 ? Optional.of(words[1]) : Optional.empty();
        if (!script.authMechanisms().contains(mechanism)) {
            send(new Action.Reply(504, List.of("5.5.4 unrecognized authentication type")).wire());
            return true;
        }
        Optional<String> user;
        switch (mechanism) {
            case "PLAIN" -> {
                Optional<String> response = initial.isPresent() ? initial : challenge("");
                user = response.flatMap(authenticator::plain);
            }
            case "LOGIN" -> {
                Optional<String> name = initial.isPresent() ? initial : challenge(Authenticator.encode("Username:"));
                Optional<String> password = name.isEmpty() ? Optional.empty()
                        : challenge(Authenticator.encode("Password:"));
                user = password.flatMap(p -> authenticator.login(name.get(), p));
            }
            case "CRAM-MD5" -> {
                String nonce = "<" + ThreadLocalRandom.current().nextLong(1L << 40) + "." + System.currentTimeMillis()
                        + "@" + script.hostname() + ">";
                user = challenge(Authenticator.encode(nonce)).flatMap(r -> authenticator.cramMd5(nonce, r));
            }
            case "XOAUTH2" -> {
                Optional<String> response = initial.isPresent() ? initial : challenge("");
                user = response.flatMap(authenticator::xoauth2);
            }
            case "SCRAM-SHA-256" -> user = scram(initial);
            default -> user = Optional.empty();
        }
        if (user.isPresent()) {
            authenticatedUser = user.get();
            transcript.note("authenticated as " + authenticatedUser + " with " + mechanism);
            send(new Action.Reply(235, List.of("2.7.0 Authentication successful")).wire());
        } else {
            send(new Action.Reply(535, List.of("5.7.8 Authentication credentials invalid")).wire());
        }
        return true;
    }

    /** The three steps of SCRAM-SHA-256; the user when the proof holds. */
    private Optional<String> scram(Optional<String> initial) throws IOException {
        Optional<String> first = initial.isPresent() ? initial : challenge("");
        if (first.isEmpty()) {
            return Optional.empty();
        }
        String clientFirst = Authenticator.decodeText(first.get());
        if (!clientFirst.startsWith("n,,")) {
            return Optional.empty();
        }
        String bare = clientFirst.substring(3);
        String user = Authenticator.attribute(bare, "n").replace("=2C", ",").replace("=3D", "=");
        byte[] salt = new byte[16];
        ThreadLocalRandom.current().nextBytes(salt);
        String serverFirst = "r=" + Authenticator.attribute(bare, "r") + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ",s=" + java.util.Base64.getEncoder().encodeToString(salt) + ",i=4096";
        Optional<String> clientFinal = challenge(Authenticator.encode(serverFirst));
        if (clientFinal.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> serverFinal = authenticator.scramVerify(user, bare, serverFirst, clientFinal.get());
        if (serverFinal.isEmpty()) {
            return Optional.empty();
        }
        challenge(serverFinal.get()); // the client checks the server's signature, then answers with an empty line
        return Optional.of(user);
    }

    /** Sends a 334 challenge and reads the client's answer; empty when the client cancels with "*". */
    private Optional<String> challenge(String base64) throws IOException {
        send(("334 " + base64 + "\r\n").getBytes(StandardCharsets.US_ASCII));
        Optional<String> answer = readLine(true);
        return answer.filter(a -> !a.equals("*"));
    }

    private boolean readMessage() throws IOException {
        ByteArrayOutputStream data = script.sink() ? new CountingBuffer() : new ByteArrayOutputStream();
        long received = 0;
        Optional<Action> content = script.ruleFor("CONTENT", "");
        while (true) {
            Optional<byte[]> line = readRawLine(false);
            if (line.isEmpty()) {
                return false; // the client went away mid-message: nothing was received
            }
            byte[] bytes = line.get();
            if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                break;
            }
            int skip = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
            data.write(bytes, skip, bytes.length - skip);
            received += bytes.length;
            if (content.isPresent() && received >= CONTENT_MARK) {
                transcript.note("the CONTENT step, after " + received + " bytes of the message");
                if (!perform(content.get(), "CONTENT -")) {
                    return false;
                }
                content = Optional.empty();
            }
        }
        messageComplete();
        if (data instanceof CountingBuffer counted) {
            messageLength = counted.count;
            return perform(messageRule(), "MESSAGE -");
        }
        return finishMessage(data.toByteArray());
    }

    /** The rule for the reply to the message just completed; onNth counts the messages of this session. */
    private Action messageRule() {
        int count = counts.merge("MESSAGE", 1, Integer::sum);
        return script.ruleFor("MESSAGE", "", count).orElse(new Action.Standard());
    }

    /** Counts what a sink would have kept. */
    private static final class CountingBuffer extends ByteArrayOutputStream {
        private long count;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Answers a complete message (after the final dot, or the LAST chunk) and keeps it when accepted. */
    private boolean finishMessage(byte[] message) throws IOException {
        messageLength = message.length;
        Action reply = messageRule();
        Action last = reply;
        while (true) {
            if (last instanceof Action.Delay d) {
                last = d.then();
            } else if (last instanceof Action.Dribble d) {
                last = d.then();
            } else if (last instanceof Action.Extra e) {
                last = e.first();
            } else {
                break;
            }
        }
        if (last instanceof Action.Standard) {
            last = standard("MESSAGE", "");
        }
        if (last instanceof Action.Reply r && r.code() >= 200 && r.code() < 300) {
            onMessage.accept(new ReceivedMessage(mailFrom, mailParameters, recipients, message, pipelined, tls,
                    authenticatedUser));
        }
        mailFrom = null;
        recipients.clear();
        chunkRefused = false;
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

    private Optional<String> readLine(boolean secret) throws IOException {
        return readRawLine(secret).map(b -> {
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

    /** One line with its terminator, recorded (or redacted when it carries credentials); empty at the end. */
    private Optional<byte[]> readRawLine(boolean secret) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n' || line.size() >= MAX_LINE) {
                break;
            }
        }
        if (line.size() == 0) {
            return Optional.empty();
        }
        byte[] bytes = line.toByteArray();
        if (!script.sink()) {
            byte[] recorded = secret || startsWithAuth(bytes) ? redacted(bytes) : bytes;
            transcript.add(Transcript.Direction.CLIENT, recorded, 0, recorded.length);
        }
        return Optional.of(bytes);
    }

    private static boolean startsWithAuth(byte[] line) {
        return line.length > 5 && new String(line, 0, 5, StandardCharsets.ISO_8859_1).equalsIgnoreCase("AUTH ");
    }

    /** "AUTH PLAIN [redacted]\r\n", or "[redacted]\r\n" for a continuation line. */
    private static byte[] redacted(byte[] line) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        String keep = "";
        if (startsWithAuth(line)) {
            String[] words = text.trim().split(" +");
            keep = words[0] + " " + (words.length > 1 ? words[1] : "") + (words.length > 2 ? " " : "");
            if (words.length <= 2) {
                return (words[0] + (words.length > 1 ? " " + words[1] : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return (keep + "[redacted]\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The client has sent the whole message: what the server writes next is its reply to it. */
    private void messageComplete() {
        transcript.note("message complete");
        afterMessage = new ByteArrayOutputStream();
    }

    private void endReplyAfterMessage() {
        repliesAfterMessage.add(afterMessage.toString(StandardCharsets.ISO_8859_1));
        afterMessage = null;
    }

    private void send(byte[] bytes) throws IOException {
        if (pendingExtra != null) {
            byte[] joined = new byte[bytes.length + pendingExtra.length];
            System.arraycopy(bytes, 0, joined, 0, bytes.length);
            System.arraycopy(pendingExtra, 0, joined, bytes.length, pendingExtra.length);
            bytes = joined;
            pendingExtra = null;
        }
        if (bytes.length == 0) {
            return;
        }
        if (!script.sink()) {
            transcript.add(Transcript.Direction.SERVER, bytes, 0, bytes.length);
        }
        for (int i = 0; afterMessage != null && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                endReplyAfterMessage();
            } else if (bytes[i] != '\r') {
                afterMessage.write(bytes[i]);
            }
        }
        if (dribbleMillis > 0) {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                sleep(dribbleMillis);
            }
            return;
        }
        out.write(bytes);
        out.flush();
    }

    /**
     * Says nothing for {@code millis}, reading nothing; ends early when the client hangs up meanwhile (so a
     * test of a client's timeout does not wait for the server's silence to end).
     */
    private void pause(long millis) throws IOException {
        final int limit = 64 * 1024;
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                // look past what the client already sent for the end of the stream, then put it all back
                socket.setSoTimeout((int) Math.min(left, 50));
                in.mark(limit);
                int seen = 0;
                boolean ended = false;
                try {
                    while (seen < limit - 1) {
                        if (in.read() < 0) {
                            ended = true;
                            break;
                        }
                        seen++;
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    // still connected, nothing more yet
                }
                in.reset();
                if (ended) {
                    transcript.note("the client hung up while the server was silent");
                    return;
                }
                if (seen >= limit - 1) {
                    sleep(left); // too much waiting to look past it: silence all the same
                    return;
                }
            }
        } finally {
            socket.setSoTimeout(0);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
