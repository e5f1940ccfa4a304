package dev.qremote.sender.cli;

import dev.qremote.sender.delivery.DeliveryEngine;
import dev.qremote.sender.delivery.DeliveryRequest;
import dev.qremote.sender.dns.Cancellation;
import dev.qremote.sender.machine.Knobs;
import dev.qremote.sender.machine.SystemContext;
import dev.qremote.sender.machine.TimeoutTimers;
import dev.qremote.sender.message.MessageReadException;
import dev.qremote.sender.message.MessageSource;
import java.nio.file.Path;
import java.util.Optional;
import dev.qremote.sender.delivery.DeliveryResult;
import dev.qremote.sender.report.ReportTemplate;
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
    /** How long a TERM waits for the delivery it cancelled to write its own reports. */
    private static final long CANCEL_GRACE_MILLIS = 5000;
    /** How often the JVM looks whether its launcher is still there. */
    private static final long PARENT_CHECK_MILLIS = 250;

    private Main() {
    }

    public static void main(String[] args) {
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        ReportGate reports = new ReportGate(new FileOutputStream(FileDescriptor.out));
        Cancellation cancellation = Cancellation.create();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> onTerm(cancellation, reports), "qremote-term"));
        watchParent(cancellation);
        try {
            reports.write(run(dev.qremote.sender.machine.RawArguments.of(args), new FileInputStream(FileDescriptor.in), System.getenv(),
                    cancellation));
        } catch (Throwable unforeseen) {
            // last line of defence: a temporary failure keeps the message queued
            reports.write(failure(Reports.withDetail(ReportTemplate.INTERNAL_ERROR,
                    unforeseen.getClass().getSimpleName())));
        }
        System.exit(0);
    }

    /**
     * A TERM (or INT, HUP) would end the JVM with status 143, which the launcher turns into 111 ("Unable to
     * run qmail-remote"), the delivery's own report lost. Instead the delivery is cancelled, its reports (or a
     * Z saying it was cancelled) written, and the status is 0. After a normal end this finds the reports written and only
     * confirms the 0.
     */
    private static void onTerm(Cancellation cancellation, ReportGate reports) {
        if (!reports.written()) {
            cancellation.cancel();
            if (!reports.awaitWritten(CANCEL_GRACE_MILLIS)) {
                reports.write(failure(Reports.of(ReportTemplate.DELIVERY_CANCELLED)));
            }
        }
        Runtime.getRuntime().halt(0);
    }

    /**
     * The launcher that started this JVM is what qmail-rspawn waits for. Killed with KILL it cannot pass
     * anything on; once it is gone (this JVM re-parented), qmail-rspawn has reported a crash and will try
     * the message again, so this delivery is cancelled rather than left to deliver a second copy.
     */
    private static void watchParent(Cancellation cancellation) {
        long launcher = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watch = new Thread(() -> {
            while (!cancellation.cancelled()) {
                try {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != launcher) {
                    cancellation.cancel();
                }
            }
        }, "qremote-parent");
        watch.setDaemon(true);
        watch.start();
    }

    /** Runs one delivery and writes its reports; never throws. */
    static void run(List<String> args, InputStream stdin, OutputStream stdout, Map<String, String> env) {
        new ReportGate(stdout).write(run(args, stdin, env, Cancellation.create()));
    }

    /** Runs one delivery; never throws. */
    static DeliveryResult run(List<String> args, InputStream stdin, Map<String, String> env,
            Cancellation cancellation) {
        DeliveryResult result;
        ScheduledThreadPoolExecutor timer = TimeoutTimers.create("qremote-timeouts");
        try {
            result = deliver(args, stdin, env, timer, cancellation);
        } finally {
            timer.shutdownNow();
        }
        return result;
    }

    private static DeliveryResult deliver(List<String> args, InputStream stdin, Map<String, String> env,
            ScheduledThreadPoolExecutor timer, Cancellation cancellation) {
        Knobs knobs;
        try {
            knobs = Knobs.from(env);
        } catch (IllegalArgumentException e) {
            return failure(Reports.withDetail(ReportTemplate.CONTROL_INVALID, e.getMessage()));
        }
        if (args.size() < 3) {
            return failure(Reports.of(ReportTemplate.INVOKED_IMPROPERLY));
        }
        try (MessageSource message = keep(stdin)) {
            return new DeliveryEngine(new SystemContext(knobs, timer,
                    Optional.empty())).deliver(new DeliveryRequest(args.get(0),
                    args.get(1), args.subList(2, args.size()), message, Optional.empty(), cancellation));
        }
    }

    /** The message on stdin; one that cannot be read is reported where the delivery first needs it. */
    private static MessageSource keep(InputStream stdin) {
        try {
            return MessageSource.kept(stdin, Path.of(System.getProperty("java.io.tmpdir")));
        } catch (MessageReadException e) {
            return MessageSource.unreadable(e);
        }
    }

    private static DeliveryResult failure(dev.qremote.sender.report.Report report) {
        return new DeliveryResult(List.of(), report);
    }
}
