package dev.qremote.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The control files a demo set up, as text for the reader (fresh7 L9): what made the route, the QMTP line or
 * DANE happen. A route's password (the field after the user) is shown as [password]; PEM files by name only.
 */
final class ControlNotes {
    private ControlNotes() {
    }

    /** One "control/NAME: LINE" per line of each small text file in {@code qmailHome}/control, by name. */
    static String render(Path qmailHome) throws IOException {
        StringBuilder out = new StringBuilder();
        List<Path> files;
        try (Stream<Path> listing = Files.list(qmailHome.resolve("control"))) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".pem")) {
                out.append("control/").append(name).append(": (a PEM file)\n");
                continue;
            }
            for (String line : Files.readString(file, StandardCharsets.ISO_8859_1).split("\n")) {
                out.append("control/").append(name).append(": ").append(redacted(name, line)).append('\n');
            }
        }
        return out.toString();
    }

    private static String redacted(String name, String line) {
        if (!name.equals("smtproutes") && !name.equals("authsenders") && !name.equals("qmtproutes")) {
            return line;
        }
        String[] fields = line.split("\\|", -1);
        if (fields.length >= 3) {
            fields[2] = "[password]";
        }
        return String.join("|", fields);
    }
}
