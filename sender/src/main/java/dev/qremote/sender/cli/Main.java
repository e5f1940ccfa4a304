package dev.qremote.sender.cli;

import dev.qremote.sender.delivery.DeliveryEngine;
import dev.qremote.sender.delivery.DeliveryResult;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.ReportWriter;
import dev.qremote.sender.report.Reports;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * {@code qmail-remote host sender recip...}: reads the message on stdin, prints NUL-terminated reports on
 * stdout, always exits 0. stderr is silenced first: qmail-rspawn merges it into the report stream.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        try {
            run(RawArguments.of(args), new FileInputStream(FileDescriptor.in), stdout, System.getenv());
        } catch (Throwable unforeseen) {
            // last line of defence: a temporary failure keeps the message queued
            try {
                stdout.write(Reports.withDetail(ReportTemplate.INTERNAL_ERROR,
                        unforeseen.getClass().getSimpleName()).bytes());
            } catch (IOException | RuntimeException ignored) {
                // stdout is gone; qmail-rspawn reports "no output", which also defers
            }
        }
        System.exit(0);
    }

    /** Runs one delivery and writes its reports; never throws. */
    static void run(List<String> args, InputStream stdin, OutputStream stdout, Map<String, String> env) {
        DeliveryResult result;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qremote-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        try {
            result = deliver(args, stdin, env, timer);
        } finally {
            timer.shutdownNow();
        }
        try {
            new ReportWriter(stdout).write(result.recipientReports(), result.messageReport());
        } catch (IOException e) {
            // qmail-rspawn is gone; nobody is left to tell
        }
    }

    private static DeliveryResult deliver(List<String> args, InputStream stdin, Map<String, String> env,
            ScheduledThreadPoolExecutor timer) {
        Knobs knobs;
        try {
            knobs = Knobs.from(env);
        } catch (IllegalArgumentException e) {
            return failure(Reports.withDetail(ReportTemplate.CONTROL_INVALID, e.getMessage()));
        }
        return new DeliveryEngine(new SystemContext(knobs, timer)).deliver(args, stdin);
    }

    private static DeliveryResult failure(dev.qremote.sender.report.Report report) {
        return new DeliveryResult(List.of(), report);
    }
}
