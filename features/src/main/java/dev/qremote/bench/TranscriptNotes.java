package dev.qremote.bench;

import dev.qremote.fakemx.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * A fake server's transcript rendered as {@link Transcript#render()} does, each line that teaches something
 * followed by a note naming the RFC section behind it. The notes are read off the bytes that really went
 * over the wire (a step that did not happen gets no note); what the client decided about TLSA comes from its
 * reports, passed in as {@code verdict}.
 */
public final class TranscriptNotes {
    static final int NOTE_COLUMN = 46;

    /** What the sender's reports say about DANE: nothing, a match, or no match. */
    public enum Dane { NONE, MATCHED, MISMATCHED }

    private final Dane dane;
    private final Optional<String> tlsa;

    /** {@code tlsa}: the TLSA parameters published for the exchanger ("3 1 1"), when DNS gave any. */
    public TranscriptNotes(Dane dane, Optional<String> tlsa) {
        this.dane = dane;
        this.tlsa = tlsa;
    }

    /** An SMTP session, line by line, with notes. */
    public String smtp(Transcript transcript) {
        return new SmtpReader().read(transcript);
    }

    /** A QMTP session, with notes on the package and the replies. */
    public String qmtp(Transcript transcript) {
        StringBuilder out = new StringBuilder();
        boolean packageNoted = false;
        for (Transcript.Entry e : transcript.entries()) {
            if (e.direction() == Transcript.Direction.NOTE) {
                String text = new String(e.bytes(), StandardCharsets.UTF_8);
                line(out, "-- " + text, text.startsWith("package: ") ? "the server read one package: netstrings of"
                        + " the message (LF line ends, no dot-stuffing), the sender, the recipients — QMTP spec"
                        + " (cr.yp.to/proto/qmtp.txt)" : null);
                continue;
            }
            for (byte[] piece : lines(e.bytes(), 0, e.bytes().length)) {
                String note = null;
                if (e.direction() == Transcript.Direction.CLIENT && !packageNoted) {
                    note = "one package: netstrings of the message (LF line ends, no dot-stuffing), the sender, the"
                            + " recipients — QMTP spec (cr.yp.to/proto/qmtp.txt)";
                    packageNoted = true;
                } else if (e.direction() == Transcript.Direction.SERVER) {
                    note = qmtpReplies(latin1(piece));
                }
                line(out, (e.direction() == Transcript.Direction.CLIENT ? "C: " : "S: ") + visible(piece), note);
            }
        }
        return out.toString();
    }

    private static String qmtpReplies(String text) {
        StringBuilder letters = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int colon = text.indexOf(':', i);
            if (colon < 0 || colon + 1 >= text.length()) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(text.substring(i, colon));
            } catch (NumberFormatException e) {
                break;
            }
            letters.append(letters.length() == 0 ? "" : " ").append(text.charAt(colon + 1));
            i = colon + 1 + length + 1;
        }
        return letters.length() == 0 ? null
                : "one reply per recipient (" + letters + "; K taken, Z try later, D refused) — QMTP spec";
    }

    /** Reads one SMTP session: which command each reply answers, where the message data begins and ends. */
    private final class SmtpReader {
        private final StringBuilder out = new StringBuilder();
        /** Commands awaiting a reply; each with the number of commands written together with it. */
        private final Deque<String[]> pending = new ArrayDeque<>();
        private boolean greeted;
        private boolean replyStarted;
        private boolean tls;
        private boolean data;
        private boolean auth;
        private long chunkLeft;
        private boolean dataNoted;
        private boolean startTlsSent;
        private boolean mismatchNoted;

        private String mismatch(String lead) {
            mismatchNoted = true;
            return lead + "the certificate matched no TLSA record (" + tlsa.map(t -> "TLSA " + t).orElse("TLSA")
                    + "): no mail, no plaintext fallback; deferred — RFC 7672 2.2 / 3.1.1 / RFC 6698 2.1";
        }

        String read(Transcript transcript) {
            for (Transcript.Entry e : transcript.entries()) {
                byte[] b = e.bytes();
                switch (e.direction()) {
                    case NOTE -> note(new String(b, StandardCharsets.UTF_8));
                    case SERVER -> {
                        for (byte[] piece : lines(b, 0, b.length)) {
                            server(piece);
                        }
                    }
                    case CLIENT -> client(b);
                }
            }
            if (startTlsSent && dane == Dane.MISMATCHED && !mismatchNoted) {
                line(out, "", mismatch(""));
            }
            return out.toString();
        }

        private void note(String text) {
            String note = null;
            if (text.startsWith("TLS started: ")) {
                tls = true;
                String version = text.substring("TLS started: ".length()).split(" ")[0];
                note = "TLS handshake done (" + version + ": " + (version.equals("TLSv1.3") ? "RFC 8446" : "RFC 5246")
                        + "); what follows was encrypted, shown here as the server read it";
                if (dane == Dane.MATCHED) {
                    note += "; the certificate matched TLSA " + tlsa.orElse("")
                            + " — RFC 7672 3.1.1 / RFC 6698 2.1";
                }
            } else if (text.startsWith("authenticated as ")) {
                note = "the server's view of the login";
            } else if (text.startsWith("connection error") && startTlsSent && !tls && dane == Dane.MISMATCHED) {
                note = mismatch("qmail-remote ended the handshake: ");
            }
            line(out, "-- " + text, note);
        }

        private void client(byte[] b) {
            int pos = 0;
            int group = commandsIn(b);
            while (pos < b.length) {
                int end = lineEnd(b, pos);
                if (chunkLeft > 0) {
                    end = (int) Math.min(end, pos + chunkLeft);
                    chunkLeft -= end - pos;
                    String text = latin1(java.util.Arrays.copyOfRange(b, pos, end));
                    String note = dataNote(text);
                    if (chunkLeft == 0 && note == null) {
                        note = "the chunk ends here, after exactly the bytes announced: no final dot — RFC 3030 2";
                    }
                    emit("C: ", b, pos, end, note);
                } else if (data) {
                    String text = latin1(java.util.Arrays.copyOfRange(b, pos, end));
                    String note;
                    if (text.equals(".\r\n")) {
                        data = false;
                        pending.add(new String[] {"DOT", "1"});
                        note = "<CRLF>.<CRLF> ends the message — RFC 5321 4.1.1.4";
                    } else {
                        note = dataNote(text);
                    }
                    emit("C: ", b, pos, end, note);
                } else if (auth) {
                    pending.add(new String[] {"AUTH-RESPONSE", "1"});
                    emit("C: ", b, pos, end, "the client's SASL response, base64 — RFC 4954 4");
                } else {
                    String text = latin1(java.util.Arrays.copyOfRange(b, pos, end)).strip();
                    String verb = text.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                    if (verb.equals("BDAT")) {
                        String[] parts = text.split(" ");
                        chunkLeft = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
                        if (parts.length > 2 && parts[2].equalsIgnoreCase("LAST")) {
                            verb = "BDAT-LAST";
                        }
                    }
                    startTlsSent |= verb.equals("STARTTLS");
                    pending.add(new String[] {verb, Integer.toString(group)});
                    emit("C: ", b, pos, end, command(verb, text));
                }
                pos = end;
            }
        }

        /** How many commands one write held: more than one is pipelining. */
        private int commandsIn(byte[] b) {
            if (data || auth || chunkLeft > 0) {
                return 1;
            }
            int n = 0;
            int pos = 0;
            while (pos < b.length) {
                int end = lineEnd(b, pos);
                n++;
                String verb = latin1(java.util.Arrays.copyOfRange(b, pos, Math.min(end, pos + 5)));
                if (verb.toUpperCase(Locale.ROOT).startsWith("BDAT ") || verb.toUpperCase(Locale.ROOT).startsWith("DATA")) {
                    break; // what follows is message data, not commands
                }
                pos = end;
            }
            return Math.max(n, 1);
        }

        private String dataNote(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-transfer-encoding: quoted-printable")) {
                return "recoded to quoted-printable: the server offered no 8BITMIME — RFC 6152 3 / RFC 2045 6.7";
            }
            if (text.startsWith("..") && data) {
                return "dot-stuffed: a line starting with '.' gets one more — RFC 5321 4.5.2";
            }
            if (text.startsWith(".") && !data) {
                return "no dot-stuffing inside a BDAT chunk: its size says where it ends — RFC 3030 2";
            }
            if (!dataNoted) {
                dataNoted = true;
                return "the message itself, CRLF line ends — RFC 5321 2.3.8 / RFC 5322";
            }
            return null;
        }

        private String command(String verb, String text) {
            String upper = text.toUpperCase(Locale.ROOT);
            return switch (verb) {
                case "EHLO" -> tls ? "EHLO again: after TLS the client forgets what it knew — RFC 3207 4.2"
                        : "EHLO: the client names itself and asks for extensions — RFC 5321 4.1.1.1";
                case "HELO" -> "HELO: for a server without ESMTP — RFC 5321 4.1.1.1";
                case "STARTTLS" -> "STARTTLS — RFC 3207 4";
                case "AUTH" -> "AUTH " + mechanism(upper) + " — RFC 4954 4" + mechanismNote(upper);
                case "MAIL" -> "MAIL: the envelope sender — RFC 5321 4.1.1.2"
                        + (upper.contains(" BODY=8BITMIME") ? "; BODY=8BITMIME — RFC 6152 2" : "")
                        + (upper.contains(" SIZE=") ? "; SIZE=: the message's size — RFC 1870 6" : "")
                        + (upper.contains(" SMTPUTF8") ? "; SMTPUTF8 — RFC 6531 3.4" : "");
                case "RCPT" -> "RCPT: one recipient — RFC 5321 4.1.1.3";
                case "DATA" -> "DATA — RFC 5321 4.1.1.4";
                case "BDAT" -> "BDAT: a chunk of the message, its size first — RFC 3030 2";
                case "BDAT-LAST" -> "BDAT … LAST: the last chunk, its size first — RFC 3030 2";
                case "RSET" -> "RSET: forget the transaction — RFC 5321 4.1.1.5";
                case "NOOP" -> "NOOP — RFC 5321 4.1.1.9";
                case "QUIT" -> "QUIT — RFC 5321 4.1.1.10";
                default -> null;
            };
        }

        private void server(byte[] piece) {
            String text = latin1(piece);
            String code = text.length() >= 3 ? text.substring(0, 3) : text;
            boolean last = text.length() < 4 || text.charAt(3) != '-';
            String note;
            if (!greeted && pending.isEmpty()) {
                note = replyStarted ? null : greeting(code);
                greeted = last;
            } else if (pending.isEmpty() && !replyStarted) {
                note = "a reply to no command: every command gets exactly one reply — RFC 5321 4.2; out of step";
            } else {
                String[] asked = pending.isEmpty() ? new String[] {"?", "1"} : pending.peek();
                note = reply(asked[0], code, text, last);
                if (last) {
                    pending.poll();
                    if (note != null && Integer.parseInt(asked[1]) > 1) {
                        note += " (pipelined — RFC 2920 3.1)";
                    }
                }
            }
            replyStarted = !last;
            emit("S: ", piece, 0, piece.length, note);
        }

        private String greeting(String code) {
            return switch (code.charAt(0)) {
                case '2' -> "greeting: the server speaks first — RFC 5321 4.2 / 3.1";
                case '4' -> code + " instead of a greeting: not now, closing — RFC 5321 3.8 / 4.2.1";
                default -> code + " instead of a greeting: no mail here — RFC 5321 3.1 / 4.2.1";
            };
        }

        private String reply(String verb, String code, String text, boolean last) {
            char kind = code.isEmpty() ? '?' : code.charAt(0);
            if (verb.equals("EHLO") && kind == '2') {
                if (!replyStarted) {
                    return "EHLO reply: the server's name, then one extension a line — RFC 5321 4.1.1.1";
                }
                return extension(text.length() > 4 ? text.substring(4).strip() : "");
            }
            if (!last) {
                return null;
            }
            if (verb.equals("AUTH") || verb.equals("AUTH-RESPONSE")) {
                auth = code.equals("334");
                return switch (kind) {
                    case '3' -> "334: a server challenge, base64 — RFC 4954 4";
                    case '2' -> "235: logged in — RFC 4954 6";
                    default -> code + ": the login failed — RFC 4954 6";
                };
            }
            if (kind == '4') {
                String after = verb.equals("DOT") || verb.equals("BDAT-LAST") ? " after the data — RFC 5321 4.2.5" : "";
                return code + ": a temporary failure" + after + (text.toLowerCase(Locale.ROOT).contains("greylist")
                        ? ": greylisting" : "") + " — RFC 5321 4.2.1; retried later — RFC 5321 4.5.4.1";
            }
            if (kind == '5') {
                String after = verb.equals("DOT") || verb.equals("BDAT-LAST") ? " after the data — RFC 5321 4.2.5" : "";
                return code + ": a permanent failure" + after + " — RFC 5321 4.2.1";
            }
            return switch (verb) {
                case "STARTTLS" -> "220: go ahead, the TLS handshake follows — RFC 3207 4";
                case "MAIL" -> "sender accepted — RFC 5321 4.1.1.2";
                case "RCPT" -> "recipient accepted — RFC 5321 4.1.1.3";
                case "DATA" -> {
                    data = code.equals("354");
                    yield data ? "354: send the message — RFC 5321 4.1.1.4" : null;
                }
                case "DOT", "BDAT-LAST" -> kind == '2'
                        ? "the message is taken: only now may qmail-remote say K — RFC 5321 4.1.1.4 / 6.1"
                        : null;
                case "BDAT" -> "chunk taken — RFC 3030 2";
                case "QUIT" -> "221: goodbye — RFC 5321 4.1.1.10";
                default -> null;
            };
        }

        private String extension(String keyword) {
            String k = keyword.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            return switch (k) {
                case "PIPELINING" -> "PIPELINING: commands may go in groups — RFC 2920";
                case "8BITMIME" -> "8BITMIME: 8-bit text may go as it is — RFC 6152";
                case "STARTTLS" -> "STARTTLS offered — RFC 3207";
                case "AUTH" -> "AUTH and its SASL mechanisms — RFC 4954 3";
                case "CHUNKING" -> "CHUNKING: BDAT instead of DATA — RFC 3030";
                case "SIZE" -> "SIZE: the largest message taken, in bytes — RFC 1870 4";
                case "SMTPUTF8" -> "SMTPUTF8 — RFC 6531";
                case "ENHANCEDSTATUSCODES" -> "ENHANCEDSTATUSCODES — RFC 2034";
                case "DSN" -> "DSN — RFC 3461";
                case "BINARYMIME" -> "BINARYMIME — RFC 3030 3";
                default -> null;
            };
        }

        private void emit(String prefix, byte[] b, int from, int to, String note) {
            line(out, prefix + visible(java.util.Arrays.copyOfRange(b, from, to)), note);
        }
    }

    private static String mechanism(String upper) {
        String[] parts = upper.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    private static String mechanismNote(String upper) {
        return switch (mechanism(upper)) {
            case "SCRAM-SHA-256" -> ", SCRAM-SHA-256 — RFC 7677 / RFC 5802 3: the password itself never crosses the wire";
            case "CRAM-MD5" -> ", CRAM-MD5 — RFC 2195";
            case "PLAIN" -> ", PLAIN — RFC 4616";
            default -> "";
        };
    }

    /** Appends {@code text}, and {@code note} after it in a column (on a line of its own when text is long). */
    static void line(StringBuilder out, String text, String note) {
        if (note == null) {
            out.append(text).append('\n');
            return;
        }
        if (text.isEmpty()) {
            out.append(" ".repeat(NOTE_COLUMN)).append("<- ").append(note).append('\n');
            return;
        }
        out.append(text);
        if (text.length() >= NOTE_COLUMN) {
            out.append('\n').append(" ".repeat(NOTE_COLUMN));
        } else {
            out.append(" ".repeat(NOTE_COLUMN - text.length()));
        }
        out.append("<- ").append(note).append('\n');
    }

    /** The lines of {@code b}, each with its LF; a last piece without LF is a line too. */
    private static java.util.List<byte[]> lines(byte[] b, int from, int to) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        int pos = from;
        while (pos < to) {
            int end = Math.min(lineEnd(b, pos), to);
            out.add(java.util.Arrays.copyOfRange(b, pos, end));
            pos = end;
        }
        return out;
    }

    private static int lineEnd(byte[] b, int pos) {
        for (int i = pos; i < b.length; i++) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return b.length;
    }

    /** As {@link Transcript#render()}: CR as \r, LF as \n, other control and 8-bit bytes as \xNN. */
    static String visible(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\n') {
                s.append("\\n");
            } else if (c == '\r') {
                s.append("\\r");
            } else if (c < 32 || c > 126) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
