package dev.qremote.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trivial client of the "sink alone" line: N threads, each one connection per message (EHLO, MAIL, RCPT,
 * DATA, the message's wire bytes written at once from memory, QUIT), no qmail and no file read. What it
 * reaches is what the sink can take in on this machine, the ceiling for the other lines of the same size.
 */
final class SinkAloneClient {
    /** Messages answered 2xx after the final dot, the others, and the first of those others' reply. */
    record Result(int k, int z, String firstFailure) {
    }

    private SinkAloneClient() {
    }

    /** A queue file (LF lines) as SMTP sends it after DATA: CRLF, dot-stuffed, the final dot. RFC 5321 4.5.2. */
    static byte[] wire(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 20 + 8);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n') {
                out.write('\r');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code count} messages sent {@code parallel} at a time. */
    static Result send(int port, byte[] wire, int count, int parallel, String sender, String recipient)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<int[]>> workers = new ArrayList<>();
        String[] failure = {""};
        for (int i = 0; i < parallel; i++) {
            workers.add(pool.submit(() -> {
                int[] kz = new int[2];
                while (next.getAndIncrement() < count) {
                    String reply;
                    try {
                        reply = once(port, wire, sender, recipient);
                    } catch (IOException e) {
                        reply = "Z" + e;
                    }
                    kz[reply.startsWith("2") ? 0 : 1]++;
                    synchronized (failure) {
                        if (!reply.startsWith("2") && failure[0].isEmpty()) {
                            failure[0] = reply;
                        }
                    }
                }
                return kz;
            }));
        }
        int k = 0;
        int z = 0;
        try {
            for (Future<int[]> w : workers) {
                int[] kz = w.get();
                k += kz[0];
                z += kz[1];
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return new Result(k, z, failure[0]);
    }

    /** One session, one message; the reply to the final dot, or the first reply that was not as expected. */
    private static String once(int port, byte[] wire, String sender, String recipient) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(120_000);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String reply = reply(in);
            for (String command : List.of("EHLO bench.test", "MAIL FROM:<" + sender + ">",
                    "RCPT TO:<" + recipient + ">", "DATA")) {
                if (!reply.startsWith("2")) {
                    return reply;
                }
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                reply = reply(in);
            }
            if (!reply.startsWith("354")) {
                return reply;
            }
            out.write(wire);
            out.flush();
            String afterDot = reply(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reply(in);
            return afterDot;
        }
    }

    /** The last line of a reply (continuation lines have a '-' after the code). */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n';) {
                if (b < 0) {
                    throw new IOException("connection closed in a reply");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.length() < 4 || text.charAt(3) != '-') {
                return text;
            }
        }
    }
}
