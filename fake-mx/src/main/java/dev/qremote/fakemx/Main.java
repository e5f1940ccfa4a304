package dev.qremote.fakemx;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.qremote.fakemx.tls.IssuedCertificate;
import dev.qremote.fakemx.tls.KeyKind;
import dev.qremote.fakemx.tls.Pem;
import dev.qremote.fakemx.tls.TestCertificates;

/**
 * {@code fake-mx --listen ADDR:PORT [--script FILE] [--starttls] [--smtps] [--auth USER:PASS]... [--qmtp]
 * [--cert-name NAME] [--ca-out FILE] [--cert-out FILE] [--transcript FILE] [--maildir DIR]}: runs a scripted
 * SMTP server (or,
 * with --qmtp, a QMTP server; with --qmtp --smtps, QMTPS) until killed. TLS uses a certificate for NAME
 * (default: the script's hostname) from a test CA made at start, whose root certificate --ca-out writes as
 * PEM (--cert-out writes the server's own chain). Each accepted message is written to DIR; the transcripts are rewritten to FILE after each session.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String listen = "127.0.0.1:2525";
        SmtpScript script = SmtpScript.polite();
        Path transcriptFile = null;
        Path maildir = null;
        boolean starttls = false;
        boolean smtps = false;
        boolean qmtp = false;
        String certName = null;
        Path caOut = null;
        Path certOut = null;
        java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = value(args, ++i);
                case "--script" -> script = ScriptFile.parse(Files.readString(Path.of(value(args, ++i)),
                        java.nio.charset.StandardCharsets.ISO_8859_1)); // bytes above 127 go as they are
                case "--transcript" -> transcriptFile = Path.of(value(args, ++i));
                case "--maildir" -> maildir = Path.of(value(args, ++i));
                case "--starttls" -> starttls = true;
                case "--smtps" -> smtps = true;
                case "--qmtp" -> qmtp = true;
                case "--cert-name" -> certName = value(args, ++i);
                case "--ca-out" -> caOut = Path.of(value(args, ++i));
                case "--cert-out" -> certOut = Path.of(value(args, ++i));
                case "--auth" -> {
                    String pair = value(args, ++i);
                    int colon = pair.indexOf(':');
                    if (colon <= 0) {
                        usage("--auth needs USER:PASS");
                    }
                    users.put(pair.substring(0, colon), pair.substring(colon + 1));
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            usage("--listen needs ADDR:PORT");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        InetAddress address = InetAddress.getByName(host);
        int port = Integer.parseInt(listen.substring(colon + 1));
        IssuedCertificate certificate = null;
        if (starttls || smtps) {
            TestCertificates ca = TestCertificates.create(KeyKind.ECDSA);
            certificate = ca.leaf(certName != null ? certName : script.hostname());
            if (caOut != null) {
                Files.writeString(caOut, Pem.certificate(ca.root()));
            }
            if (certOut != null) {
                Files.writeString(certOut, certificate.chainPem());
            }
        }
        if (qmtp) {
            QmtpScript.Builder q = QmtpScript.builder();
            if (smtps) {
                q.tls(certificate);
            }
            QmtpServer server = QmtpServer.start(address, port, q.build());
            System.out.println("fake-mx (QMTP" + (smtps ? "S" : "") + ") listening on "
                    + server.address().getAddress().getHostAddress() + ":" + server.address().getPort());
            Thread.currentThread().join();
        }
        SmtpScript.Builder configured = script.toBuilder();
        if (starttls) {
            configured.starttls(certificate);
        }
        if (smtps) {
            configured.implicitTls(certificate);
        }
        users.forEach(configured::user);
        SmtpServer server = SmtpServer.start(address, port, configured.build());
        System.out.println("fake-mx listening on " + server.address().getAddress().getHostAddress() + ":"
                + server.address().getPort() + (smtps ? " (SMTPS)" : starttls ? " (STARTTLS)" : "")
                + (users.isEmpty() ? "" : " (AUTH)"));
        int written = 0;
        while (true) {
            Thread.sleep(200);
            if (!server.awaitIdle(Duration.ZERO)) {
                continue;
            }
            var messages = server.messages();
            for (; written < messages.size(); written++) {
                if (maildir != null) {
                    Files.createDirectories(maildir);
                    Files.write(maildir.resolve("message-" + (written + 1) + ".eml"), messages.get(written).data());
                }
            }
            if (transcriptFile != null) {
                writeTranscripts(server, transcriptFile);
            }
        }
    }

    private static void writeTranscripts(SmtpServer server, Path file) throws IOException {
        StringBuilder all = new StringBuilder();
        int n = 0;
        for (Transcript t : server.transcripts()) {
            all.append("== session ").append(++n).append('\n').append(t.render());
        }
        Files.writeString(file, all, StandardCharsets.UTF_8);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage("missing value after " + args[i - 1]);
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("fake-mx: " + problem);
        System.err.println("usage: fake-mx --listen ADDR:PORT [--script FILE] [--starttls] [--smtps]"
                + " [--auth USER:PASS]... [--qmtp] [--cert-name NAME] [--ca-out FILE] [--cert-out FILE] [--transcript FILE] [--maildir DIR]");
        System.exit(2);
    }
}
