package dev.qremote.sender.sts;

import dev.qremote.sender.tls.dane.HostnameMatcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches https://mta-sts.DOMAIN/.well-known/mta-sts.txt (RFC 8461 3.3) with one HTTP/1.1 GET over TLS:
 * to the addresses the delivery's own resolver gave for the policy host, with SNI and a certificate that
 * must chain to the WebPKI trust given and carry the policy host's name (RFC 6125, wildcards allowed);
 * only a 200 counts (no redirect is followed), the media type must be text/plain, the body at most
 * {@link #MAX_BODY} bytes, and the whole fetch ends by its time limit.
 *
 * <p>Why not java.net.http.HttpClient: it resolves names with the JDK's resolver (no way to hand it the
 * addresses our resolver found, which the tests' fake DNS and an operator's control/dnssec settings decide),
 * and with an address in the URI it would send that address as Host, which virtual hosts do not serve. The
 * part of HTTP a policy fetch needs (one GET, Content-Length, chunked or close-delimited bodies) is small.
 */
public final class PolicyFetcher {
    /** The largest policy body taken (RFC 8461 3.3 suggests 64 KiB). */
    public static final int MAX_BODY = 64 * 1024;
    /** The largest status line and header section taken. */
    static final int MAX_HEADER = 16 * 1024;

    /** Opens a TCP connection; the delivery's connector, so that sockets are injected. */
    @FunctionalInterface
    public interface Dial {
        Socket connect(InetSocketAddress target, Duration timeout) throws IOException;
    }

    /** What one fetch gave. */
    public sealed interface Result {
        /** The body of a 200 text/plain answer. */
        record Body(String text) implements Result {
        }

        /** No policy: {@code resultType} as RFC 8460 4.3 names it, {@code reason} in our words. */
        record Failed(String resultType, String reason) implements Result {
        }
    }

    private final Dial dial;
    private final X509TrustManager webPki;
    private final int port;
    private final Duration connectTimeout;
    private final Duration limit;

    /**
     * @param webPki the CAs the policy host's certificate must chain to
     * @param port 443, or where a test bench moved it
     * @param connectTimeout the most one connection may take
     * @param limit the most the whole fetch may take (connections, handshake, reading)
     */
    public PolicyFetcher(Dial dial, X509TrustManager webPki, int port, Duration connectTimeout, Duration limit) {
        this.dial = dial;
        this.webPki = webPki;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.limit = limit;
    }

    /** Fetches the policy of {@code domain} from the first of {@code addresses} that takes a connection. */
    public Result fetch(String domain, List<InetAddress> addresses) {
        String host = "mta-sts." + domain;
        long end = System.nanoTime() + limit.toNanos();
        Result last = new Result.Failed("sts-policy-fetch-error", "no address for " + host);
        for (InetAddress address : addresses) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return new Result.Failed("sts-policy-fetch-error", "time limit passed");
            }
            Socket plain;
            try {
                plain = dial.connect(new InetSocketAddress(address, port),
                        Duration.ofNanos(Math.min(left, connectTimeout.toNanos())));
            } catch (IOException e) {
                last = new Result.Failed("sts-policy-fetch-error", "no connection to " + host);
                continue;
            }
            return exchange(plain, host, end);
        }
        return last;
    }

    private Result exchange(Socket plain, String host, long end) {
        NameCheck check = new NameCheck(webPki, host);
        try (Socket closing = plain) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {check}, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            timeout(plain, end);
            socket.startHandshake();
            String authority = port == 443 ? host : host + ":" + port;
            OutputStream out = socket.getOutputStream();
            out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + authority
                    + "\r\nAccept: text/plain\r\nUser-Agent: qmail-remote\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response(new Bounded(socket.getInputStream(), plain, end));
        } catch (GeneralSecurityException e) {
            return new Result.Failed("sts-policy-fetch-error", "no TLS context");
        } catch (SocketTimeoutException e) {
            return new Result.Failed("sts-policy-fetch-error", "time limit passed");
        } catch (IOException | RuntimeException e) {
            if (check.refused != null) {
                return new Result.Failed("sts-webpki-invalid", check.refused);
            }
            return new Result.Failed("sts-policy-fetch-error", "HTTPS failed: " + e.getClass().getSimpleName());
        }
    }

    private static Result response(Bounded in) throws IOException {
        String status = in.line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            return new Result.Failed("sts-policy-fetch-error", "not an HTTP answer");
        }
        if (!parts[1].equals("200")) {
            return new Result.Failed("sts-policy-fetch-error", "HTTP status " + printable(parts[1]));
        }
        String contentType = null;
        long length = -1;
        boolean chunked = false;
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return new Result.Failed("sts-policy-fetch-error", "a header line is not name: value");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return new Result.Failed("sts-policy-fetch-error", "Content-Length is not a number");
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                default -> {
                }
            }
        }
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals("text/plain")) {
            return new Result.Failed("sts-policy-invalid", "the media type is not text/plain");
        }
        byte[] body;
        if (chunked) {
            body = in.chunked();
        } else if (length >= 0) {
            if (length > MAX_BODY) {
                return new Result.Failed("sts-policy-invalid", "the policy is larger than " + MAX_BODY + " bytes");
            }
            body = in.exactly((int) length);
        } else {
            body = in.rest();
        }
        if (body == null) {
            return new Result.Failed("sts-policy-invalid", "the policy is larger than " + MAX_BODY + " bytes");
        }
        return new Result.Body(new String(body, StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 16; i++) {
            char c = s.charAt(i);
            out.append(c > 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }

    private static void timeout(Socket socket, long end) throws IOException {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("time limit passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    /** Reads within the fetch's time limit and size limits. */
    private static final class Bounded {
        private final InputStream in;
        private final Socket socket;
        private final long end;

        Bounded(InputStream in, Socket socket, long end) {
            this.in = in;
            this.socket = socket;
            this.end = end;
        }

        private int read() throws IOException {
            timeout(socket, end);
            return in.read();
        }

        /** A line without its CRLF or LF; the header section is bounded. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed in the header");
                }
                line.write(c);
                if (line.size() > MAX_HEADER) {
                    throw new IOException("header too long");
                }
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        byte[] exactly(int length) throws IOException {
            byte[] out = new byte[length];
            int at = 0;
            while (at < length) {
                timeout(socket, end);
                int n = in.read(out, at, length - at);
                if (n < 0) {
                    throw new IOException("connection closed in the body");
                }
                at += n;
            }
            return out;
        }

        /** The body up to the end of the connection; null when it is over the limit. */
        byte[] rest() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                timeout(socket, end);
                int n = in.read(buffer);
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY) {
                    return null;
                }
            }
        }

        /** A chunked body (RFC 9112 7.1), trailers read and passed over; null when it is over the limit. */
        byte[] chunked() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line().split(";", 2)[0].trim();
                int length;
                try {
                    length = Integer.parseInt(size, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size");
                }
                if (length < 0 || out.size() + (long) length > MAX_BODY) {
                    return null;
                }
                if (length == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return out.toByteArray();
                }
                out.write(exactly(length));
                line();
            }
        }
    }

    /**
     * WebPKI for the policy host: the chain to the given CAs, then the name. The engine's peer host is an
     * address (we connected to one), so the name is checked here, not by the JDK's endpoint identification.
     */
    private static final class NameCheck extends X509ExtendedTrustManager {
        private final X509TrustManager webPki;
        private final String host;
        private volatile String refused;

        NameCheck(X509TrustManager webPki, String host) {
            this.webPki = webPki;
            this.host = host;
        }

        private void check(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                webPki.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                refused = "the certificate of " + host + " is not trusted";
                throw e;
            }
            if (!HostnameMatcher.matchesAny(chain[0], List.of(host), true)) {
                refused = "the certificate is not valid for " + host;
                throw new CertificateException(refused);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
