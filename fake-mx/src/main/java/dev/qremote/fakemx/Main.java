package dev.qremote.fakemx;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code fake-mx --listen ADDR:PORT [--script FILE] [--transcript FILE] [--maildir DIR]}: runs a scripted
 * SMTP server until killed. Each accepted message is written to DIR as one file; the transcripts of all
 * sessions are rewritten to FILE after each session.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String listen = "127.0.0.1:2525";
        SmtpScript script = SmtpScript.polite();
        Path transcriptFile = null;
        Path maildir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = value(args, ++i);
                case "--script" -> script = ScriptFile.parse(Files.readString(Path.of(value(args, ++i))));
                case "--transcript" -> transcriptFile = Path.of(value(args, ++i));
                case "--maildir" -> maildir = Path.of(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            usage("--listen needs ADDR:PORT");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        SmtpServer server = SmtpServer.start(InetAddress.getByName(host),
                Integer.parseInt(listen.substring(colon + 1)), script);
        System.out.println("fake-mx listening on " + server.address().getAddress().getHostAddress() + ":" + server.address().getPort());
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
        System.err.println("usage: fake-mx --listen ADDR:PORT [--script FILE] [--transcript FILE] [--maildir DIR]");
        System.exit(2);
    }
}
