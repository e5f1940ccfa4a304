package dev.qremote.sender.delivery;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An SMTP peer on loopback that answers from a random script: each time it owes a reply (the greeting,
 * each command line, the final dot, each BDAT chunk) it takes the next step, which may be the proper reply,
 * another code, a multi-line reply with mixed codes, garbage bytes, a reply split over many writes, an
 * extra unsolicited reply, a close, or silence. It records what the oracle needs: whether the final dot
 * (or BDAT LAST) arrived, how it was answered, how many RCPTs it accepted, every command line, and whether
 * it ever sent a 5xx line.
 * The message must start with {@link #MARKER}, which tells the peer that message lines are coming.
 */
final class ScriptedPeer implements AutoCloseable {
    static final String MARKER = "X-Fuzz: body";
    private static final int READ_TIMEOUT_MS = 3000;

    /** What the peer does when it owes a reply. */
    enum Kind { PROPER, CODE, MULTI, GARBAGE, CLOSE, HARD_CLOSE, SILENCE, LITERAL }

    /**
     * One step of the script; {@code seed} drives the bytes chosen while it is played. A LITERAL step sends
     * {@code literal} as it is (a regression test's exact reply, which may hold an extra reply after the
     * first) and ends with {@code literalCode}.
     */
    record Step(Kind kind, boolean split, boolean bareLf, boolean extra, long seed, String literal, int literalCode) {
        Step(Kind kind, boolean split, boolean bareLf, boolean extra, long seed) {
            this(kind, split, bareLf, extra, seed, "", -1);
        }

        /** Sends {@code bytes} (ISO-8859-1) as they are; {@code code} is the code they end with, -1 for none. */
        static Step literal(String bytes, int code) {
            return new Step(Kind.LITERAL, false, false, false, 0, bytes, code);
        }

        static Step of(Kind kind) {
            return new Step(kind, false, false, false, 0);
        }

        @Override
        public String toString() {
            if (kind == Kind.LITERAL) {
                return "'" + printable(literal) + "'";
            }
            return kind + (split ? "/split" : "") + (bareLf ? "/lf" : "") + (extra ? "/extra" : "") + "#" + seed;
        }
    }

    private static final int[] CODES = {199, 211, 220, 221, 235, 250, 251, 252, 300, 334, 350, 354, 399, 421, 450,
        451, 452, 500, 501, 550, 552, 554, 600, 99};

    private final ServerSocket server;
    private final List<Step> script;
    private final boolean offerChunking;
    private final boolean offerPipelining;
    private final boolean offerStartTls;
    /** The LIMITS line's parameters offered after EHLO (RFC 9422), as written; null offers none. */
    private final String limits;
    /** What each delivery saw, for the reuse target ({@link PeerLedger}). */
    private final PeerLedger ledger = new PeerLedger();
    /** The connection being served, for what the test does to it while it is idle; null between connections. */
    private volatile Socket open;
    /** The peer's thread waits for a connection, or for a line with nothing read yet ({@link #settle}). */
    private volatile boolean waiting;
    /** Lines read, all connections together: {@link #settle} sees whether the peer moved on. */
    private volatile int lines;
    private int lastCode;
    private final Thread thread;
    private int next;
    private final StringBuilder log = new StringBuilder();
    private final List<String> commands = new ArrayList<>();
    private volatile boolean finalReceived;
    private volatile boolean finalAnswered250;
    private volatile boolean hardClosed;
    private volatile boolean sentPermanent;
    private volatile Throwable failure;
    private volatile int recipientsAccepted;
    private volatile byte[] message;
    private volatile int extraAcceptances;

    /** A script drawn from {@code random}: mostly proper replies, so that deliveries get far. */
    static List<Step> randomScript(RandomGenerator random) {
        return randomScript(random, 40);
    }

    /** As above, with fewer than {@code most} steps (after them every reply is proper). */
    static List<Step> randomScript(RandomGenerator random, int most) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0, n = random.nextInt(most); i < n; i++) {
            steps.add(randomStep(random));
        }
        return steps;
    }

    /** One step of {@link #randomScript}. */
    static Step randomStep(RandomGenerator random) {
        // silence costs a whole timeoutremote (1 s): rare, so that a run stays fast
        int k = random.nextInt(400);
        Kind kind = k < 220 ? Kind.PROPER : k < 280 ? Kind.CODE : k < 328 ? Kind.MULTI : k < 360 ? Kind.GARBAGE
                : k < 378 ? Kind.CLOSE : k < 398 ? Kind.HARD_CLOSE : Kind.SILENCE;
        return new Step(kind, random.nextInt(4) == 0, random.nextInt(6) == 0, random.nextInt(8) == 0,
                random.nextInt());
    }

    ScriptedPeer(List<Step> script, boolean offerPipelining, boolean offerChunking) throws IOException {
        this(script, offerPipelining, offerChunking, false);
    }

    /**
     * With {@code offerStartTls} the EHLO reply offers STARTTLS; a 220 to it is followed by a close, as by a
     * server whose TLS is broken (the client's plaintext retry then comes as a new connection).
     */
    ScriptedPeer(List<Step> script, boolean offerPipelining, boolean offerChunking, boolean offerStartTls)
            throws IOException {
        this(script, offerPipelining, offerChunking, offerStartTls, null);
    }

    /** As above, and with {@code limits} non-null the EHLO reply offers "LIMITS " + limits (RFC 9422). */
    ScriptedPeer(List<Step> script, boolean offerPipelining, boolean offerChunking, boolean offerStartTls,
            String limits) throws IOException {
        this.limits = limits;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.offerPipelining = offerPipelining;
        this.offerChunking = offerChunking;
        this.offerStartTls = offerStartTls;
        this.thread = new Thread(this::serve, "scripted-peer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    boolean finalReceived() {
        return finalReceived;
    }

    boolean finalAnswered250() {
        return finalAnswered250;
    }

    boolean hardClosed() {
        return hardClosed;
    }

    /** The message as the peer received it the last time the final dot (or BDAT LAST) came: unstuffed, CRLF. */
    byte[] message() {
        return message;
    }

    /** How many RCPT commands got a well-formed 250 or 251. */
    int recipientsAccepted() {
        return recipientsAccepted;
    }

    /** How many unsolicited replies said 250 or 251: with PIPELINING a client cannot tell them from answers. */
    int extraAcceptances() {
        return extraAcceptances;
    }

    boolean sentPermanent() {
        return sentPermanent;
    }

    /** Every command line (with its line end) of the connections that spoke SMTP. */
    synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    synchronized String log() {
        return log.toString();
    }

    /** What each delivery saw, cut by {@link PeerLedger#nextDelivery}. */
    PeerLedger ledger() {
        return ledger;
    }

    /**
     * While the client holds the connection idle (kept between deliveries): writes {@code bytes} (none when
     * empty), then closes the connection when {@code close} (with a TCP reset when {@code reset}). Nothing of
     * this counts for any delivery. Waits a moment, so that the bytes or the close have reached the client.
     */
    void whileIdle(byte[] bytes, boolean close, boolean reset) throws InterruptedException {
        Socket socket = open;
        if (socket == null) {
            return;
        }
        note("== idle: " + printable(new String(bytes, StandardCharsets.ISO_8859_1)) + (close ? " close" : "")
                + (reset ? " reset" : "") + "\n");
        try {
            if (bytes.length > 0) {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            }
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            if (close) {
                socket.close();
            }
        } catch (IOException e) {
            // the connection was gone already
        }
        Thread.sleep(20);
    }

    /**
     * Waits (at most 5 s) until the peer has read and answered everything the client sent: its thread waits
     * for a connection, or for a line with no byte at hand, and has read no line for a few milliseconds. After a delivery
     * this keeps what the peer does late (a BDAT LAST read after the client gave up on the chunk before it,
     * a connection accepted after the client left it) in that delivery's part of the {@link PeerLedger}.
     */
    void settle() throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        int stable = 0;
        int seen = -1;
        while (stable < 3 && System.nanoTime() < end) {
            Socket socket = open;
            int available;
            try {
                available = socket == null || socket.isClosed() ? 0 : socket.getInputStream().available();
            } catch (IOException e) {
                available = 0;
            }
            int now = lines;
            stable = waiting && available == 0 && now == seen ? stable + 1 : 0;
            seen = now;
            Thread.sleep(2);
        }
    }

    /** The next line, telling {@link #settle} whether the peer is waiting for it. */
    private byte[] next(InputStream in) throws IOException {
        waiting = in.available() == 0;
        try {
            return readLine(in);
        } finally {
            waiting = false;
            lines++;
        }
    }

    /** A failure of the peer itself (not of the client): the run proves nothing then. */
    Throwable failure() {
        return failure;
    }

    /** Stops accepting and waits for the connection in hand to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        thread.join(10_000);
    }

    private void serve() {
        try {
            while (true) {
                waiting = true;
                Socket accepted = server.accept();
                waiting = false;
                try (Socket socket = accepted) {
                    socket.setSoTimeout(READ_TIMEOUT_MS);
                    open = socket;
                    try {
                        converse(socket);
                    } catch (SocketException e) {
                        reset(socket);
                        throw e;
                    }
                } catch (SocketException e) {
                    if (server.isClosed()) {
                        return;
                    }
                } finally {
                    open = null;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!server.isClosed()) {
                failure = e;
            }
        }
    }

    private void converse(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        note("== connection\n");
        ledger.connected();
        if (!reply(socket, in, out, "greeting", false)) {
            return;
        }
        boolean inData = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Boolean smtp = null; // a connection whose client does not start with EHLO or HELO (QMTP, TLS) has no commands
        while (true) {
            byte[] raw;
            try {
                raw = next(in);
            } catch (SocketTimeoutException e) {
                return;
            }
            if (raw == null) {
                return;
            }
            String line = new String(raw, StandardCharsets.ISO_8859_1);
            String text = line.endsWith("\r\n") ? line.substring(0, line.length() - 2)
                    : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            if (inData) {
                if (!text.equals(".")) {
                    body.write(raw, raw[0] == '.' ? 1 : 0, raw.length - (raw[0] == '.' ? 1 : 0));
                } else {
                    inData = false;
                    finalReceived = true;
                    message = body.toByteArray();
                    synchronized (ledger) {
                        ledger.transaction().finalReceived = true;
                        ledger.transaction().message = message;
                    }
                    note("C: .\n");
                    if (!reply(socket, in, out, "dot", true)) {
                        return;
                    }
                }
                continue;
            }
            if (text.equals(MARKER)) {
                inData = true;
                body.write(raw, 0, raw.length);
                note("C: (message)\n");
                continue;
            }
            if (smtp == null) {
                String start = text.length() >= 5 ? text.substring(0, 5).toUpperCase(Locale.ROOT) : "";
                smtp = start.equals("EHLO ") || start.equals("HELO ");
            }
            if (smtp) {
                synchronized (this) {
                    commands.add(line);
                }
            }
            note("C: " + printable(line) + "\n");
            String verb = text.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            ledger.command(verb, text);
            if (verb.equals("MAIL")) {
                body.reset();
            }
            if (verb.equals("BDAT")) {
                String[] parts = text.split(" ");
                long size = parts.length > 1 && parts[1].matches("[0-9]{1,9}") ? Long.parseLong(parts[1]) : 0;
                boolean last = parts.length > 2 && parts[2].equalsIgnoreCase("LAST");
                try {
                    byte[] chunk = in.readNBytes((int) size);
                    if (chunk.length < size) {
                        return;
                    }
                    body.writeBytes(chunk);
                } catch (SocketTimeoutException e) {
                    return;
                }
                finalReceived |= last;
                if (last) {
                    message = body.toByteArray();
                    synchronized (ledger) {
                        ledger.transaction().finalReceived = true;
                        ledger.transaction().message = message;
                    }
                }
                if (!reply(socket, in, out, "BDAT", last)) {
                    return;
                }
            } else if (!reply(socket, in, out, verb, false)) {
                return;
            } else if (verb.equals("STARTTLS") && lastCode == 220) {
                note("S: (close instead of a TLS handshake)\n");
                return;
            }
        }
    }

    /** Plays the next step for {@code what}; false when the connection is over (closed by the script). */
    private boolean reply(Socket socket, InputStream in, OutputStream out, String what, boolean isFinal)
            throws IOException {
        Step step = next < script.size() ? script.get(next++) : new Step(Kind.PROPER, false, false, false, 0);
        SplittableRandom random = new SplittableRandom(step.seed());
        note("   step " + step + " for " + what + "\n");
        String eol = step.bareLf() ? "\n" : "\r\n";
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int proper = proper(what);
        int lastCode = -1;
        switch (step.kind()) {
            case PROPER -> {
                if (what.equals("EHLO")) {
                    List<String> lines = new ArrayList<>(List.of("mx.fuzz.test"));
                    if (offerPipelining) {
                        lines.add("PIPELINING");
                    }
                    if (offerChunking) {
                        lines.add("CHUNKING");
                    }
                    if (offerStartTls) {
                        lines.add("STARTTLS");
                    }
                    if (limits != null) {
                        lines.add("LIMITS " + limits);
                    }
                    lines.add("8BITMIME");
                    lines.add("SIZE 100000000");
                    for (int i = 0; i < lines.size(); i++) {
                        text(reply, "250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i) + eol);
                    }
                } else {
                    text(reply, proper + " ok " + what + eol);
                }
                lastCode = proper;
            }
            case CODE -> {
                int code = random.nextInt(3) == 0 ? proper : CODES[random.nextInt(CODES.length)];
                String junk = junkText(random);
                boolean space = random.nextBoolean();
                text(reply, code + (space ? " " : "") + junk + eol);
                lastCode = space || junk.isEmpty() ? code : -1;
            }
            case MULTI -> {
                int n = 2 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int code = random.nextBoolean() ? proper : CODES[random.nextInt(CODES.length)];
                    String separator = i == n - 1 ? " " : random.nextInt(10) == 0 ? "x" : "-";
                    text(reply, code + separator + junkText(random) + eol);
                    lastCode = i == n - 1 && !separator.equals("x") ? code : lastCode;
                }
            }
            case GARBAGE -> {
                byte[] junk = new byte[random.nextInt(10) == 0 ? 2000 + random.nextInt(20_000) : random.nextInt(40)];
                random.nextBytes(junk);
                reply.writeBytes(junk);
                text(reply, eol);
            }
            case CLOSE -> {
                note("S: (half close)\n");
                socket.shutdownOutput();
                drain(in);
                return false;
            }
            case HARD_CLOSE -> {
                note("S: (close)\n");
                hardClosed = true;
                synchronized (ledger) {
                    ledger.leg().hardClosed = true;
                }
                return false;
            }
            case SILENCE -> {
                note("S: (silence)\n");
                return true;
            }
            case LITERAL -> {
                text(reply, step.literal());
                lastCode = step.literalCode();
            }
        }
        int extras = 0;
        if (step.kind() == Kind.LITERAL) {
            extras += step.literal().contains("\n250 ") || step.literal().contains("\n251 ") ? 1 : 0;
        }
        if (what.equals("RCPT") && (lastCode == 250 || lastCode == 251)) {
            recipientsAccepted++;
            synchronized (ledger) {
                List<String> sent = ledger.transaction().recipients;
                ledger.transaction().accepted.add(sent.isEmpty() ? "" : sent.get(sent.size() - 1));
            }
        }
        if (step.extra()) {
            int code = CODES[random.nextInt(CODES.length)];
            text(reply, code + " extra" + eol);
            extras += code == 250 || code == 251 ? 1 : 0;
        }
        extraAcceptances += extras;
        byte[] bytes = reply.toByteArray();
        synchronized (ledger) {
            ledger.leg().extraAcceptances += extras;
            if (sentFivexx(bytes)) {
                sentPermanent = true;
                ledger.leg().permanent = true;
            }
            if (isFinal) {
                // the only answer to the final dot that may be taken as delivery: a well-formed 250 ending the reply
                finalAnswered250 = lastCode == 250 && step.kind() != Kind.GARBAGE;
                ledger.transaction().finalAnswered250 = finalAnswered250;
            }
        }
        this.lastCode = lastCode;
        note("S: " + printable(new String(bytes, StandardCharsets.ISO_8859_1)) + "\n");
        write(out, bytes, step.split() ? random : null);
        return true;
    }

    private static int proper(String what) {
        return switch (what) {
            case "greeting" -> 220;
            case "DATA" -> 354;
            case "QUIT" -> 221;
            case "STARTTLS" -> 220;
            case "AUTH" -> 235;
            default -> 250;
        };
    }

    /** Reply text: mostly words, sometimes NUL, CR, 8-bit bytes or a very long run. */
    private static String junkText(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(20) == 0 ? 6000 + random.nextInt(6000) : random.nextInt(30);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(20);
            s.append(k == 0 ? '\0' : k == 1 ? '\r' : k == 2 ? (char) (128 + random.nextInt(128))
                    : k == 3 ? '\t' : (char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** After a half close: reads on, so that a final dot (or BDAT LAST) sent afterwards is still seen. */
    private void drain(InputStream in) throws IOException {
        boolean inData = false;
        try {
            byte[] raw;
            while ((raw = next(in)) != null) {
                String text = new String(raw, StandardCharsets.ISO_8859_1).strip();
                if (text.equals(MARKER)) {
                    inData = true;
                } else if (inData && text.equals(".")) {
                    finalReceived = true;
                    synchronized (ledger) {
                        ledger.transaction().finalReceived = true;
                    }
                    inData = false;
                } else if (text.contains("BDAT ") && text.endsWith(" LAST")) {
                    finalReceived = true; // chunk bytes carry no line ends: the header may follow them on one line
                    synchronized (ledger) {
                        ledger.transaction().finalReceived = true;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            // the client has gone quiet
        } catch (SocketException e) {
            reset(open);
        }
    }

    /**
     * The client reset the connection (it closed with replies unread): what it sent last may be lost
     * unread here, a final dot included, so the ledger cannot tell whether the dot came. A connection the
     * test closed itself ({@link #whileIdle}) is no reset.
     */
    private void reset(Socket socket) {
        if (socket != null && !socket.isClosed()) {
            synchronized (ledger) {
                ledger.leg().reset = true;
            }
        }
    }

    private static boolean sentFivexx(byte[] bytes) {
        boolean lineStart = true;
        for (byte b : bytes) {
            if (lineStart && b == '5') {
                return true;
            }
            lineStart = b == '\n';
        }
        return false;
    }

    private static void write(OutputStream out, byte[] bytes, SplittableRandom split) throws IOException {
        try {
            if (split == null) {
                out.write(bytes);
                out.flush();
                return;
            }
            for (int i = 0; i < bytes.length;) {
                int n = Math.min(bytes.length - i, 1 + split.nextInt(7));
                out.write(bytes, i, n);
                out.flush();
                i += n;
            }
        } catch (SocketException e) {
            // the client closed first; what it read is what counts
        }
    }

    /** One line with its LF (or what came before EOF), null at EOF; capped: a runaway client cannot exhaust memory. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n' || line.size() > 1_000_000) {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (out.length() > 300) {
                return out + "...";
            }
            out.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c >= 32 && c < 127 ? String.valueOf(c)
                    : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    private synchronized void note(String s) {
        if (log.length() < 20_000) {
            log.append(s);
        }
    }
}
