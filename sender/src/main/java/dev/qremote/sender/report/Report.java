package dev.qremote.sender.report;

import java.nio.charset.StandardCharsets;

/** One report: its letter, its text, and the terminating NUL when written. */
public record Report(ReportTemplate template, String text) {

    public char letter() {
        return template.letter();
    }

    public boolean isRecipientReport() {
        char l = letter();
        return l == 'r' || l == 'h' || l == 's';
    }

    /** The exact bytes qmail-rspawn reads: letter, text, NUL. */
    public byte[] bytes() {
        return (letter() + text + '\0').getBytes(StandardCharsets.ISO_8859_1);
    }
}
