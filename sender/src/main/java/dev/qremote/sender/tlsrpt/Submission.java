package dev.qremote.sender.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Hands a report to its rua address (RFC 8460 5): a mailto: address gets the mail of {@link ReportMail}
 * through qmail-inject (5.3), an https: address the gzipped JSON in one POST with the media type
 * application/tlsrpt+gzip (5.4), over the JDK's HTTP client: its CAs or those of a CA file, no redirects.
 */
public final class Submission {
    private Submission() {
    }

    /** How one hand-over went: whether it went, and a short word on it for the operator. */
    public record Result(boolean sent, String detail) {
    }

    /** {@code json} gzipped (RFC 1952), as the report goes. */
    public static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The address of a mailto: URI (RFC 6068): what comes before any '?', percent-decoded; empty when it is
     * not one address that can be passed on (a control byte, a space, a leading '-' that would read as an
     * option, no '@').
     */
    public static java.util.Optional<String> mailbox(String mailto) {
        String rest = mailto.substring("mailto:".length());
        int query = rest.indexOf('?');
        String address;
        try {
            address = URLDecoder.decode((query < 0 ? rest : rest.substring(0, query)).replace("+", "%2B"),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        boolean clean = address.chars().allMatch(c -> c > 32 && c < 127 && c != ',');
        return clean && !address.startsWith("-") && address.indexOf('@') > 0
                ? java.util.Optional.of(address) : java.util.Optional.empty();
    }

    /**
     * Runs {@code inject} ({@code -a -fFROM ADDRESS}: only that recipient, that envelope sender) with
     * {@code message} on its stdin; sent when it exits 0 within {@code timeout}. Its stdin and stderr are
     * files, so neither a child that reads nothing nor one that keeps stderr open can hold up the timed
     * wait; at the limit it is killed with its descendants, and the report is not sent.
     */
    public static Result mail(Path inject, String from, String address, byte[] message, Duration timeout) {
        Path input = null;
        Path errors = null;
        try {
            input = Files.createTempFile("tlsrpt-mail", ".eml");
            errors = Files.createTempFile("tlsrpt-inject", ".err");
            Files.write(input, message);
            ProcessBuilder pb = new ProcessBuilder(inject.toString(), "-a", "-f" + from, address)
                    .redirectInput(input.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(false, "qmail-inject did not finish within " + timeout.toSeconds() + " s");
            }
            String err;
            try (InputStream e = Files.newInputStream(errors)) {
                err = new String(e.readNBytes(500), StandardCharsets.UTF_8).strip();
            }
            return p.exitValue() == 0 ? new Result(true, "handed to qmail-inject")
                    : new Result(false, "qmail-inject exited " + p.exitValue() + (err.isEmpty() ? "" : ": " + err));
        } catch (IOException e) {
            return new Result(false, "cannot run " + inject + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        } finally {
            deleteQuietly(input);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind harms nothing
            }
        }
    }

    /** POSTs {@code gzip} to {@code uri}; sent on a 2xx answer (RFC 8460 5.4). */
    public static Result post(HttpClient client, URI uri, byte[] gzip, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/tlsrpt+gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Result(status / 100 == 2, "HTTP " + status);
        } catch (IOException e) {
            return new Result(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    /**
     * The HTTP client for https: rua addresses: never follows redirects; trusts the JDK's CAs, or only the
     * certificates of {@code caFile} (PEM) when given.
     *
     * @throws IOException when the CA file cannot be read or holds no certificate
     */
    public static HttpClient httpClient(java.util.Optional<Path> caFile, Duration connectTimeout) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        if (caFile.isPresent()) {
            b.sslContext(trusting(caFile.get()));
        }
        return b.build();
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + n++, c);
            }
            if (n == 0) {
                throw new IOException(caFile + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
