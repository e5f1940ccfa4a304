package dev.qremote.sender.spawn;

import dev.qremote.sender.delivery.DeliveryRequest;
import dev.qremote.sender.delivery.DeliveryResult;
import dev.qremote.sender.dns.Cancellation;
import dev.qremote.sender.message.MessageSource;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.ReportWriter;
import dev.qremote.sender.report.Reports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * qmail-send's spawn protocol (notqmail spawn.c and qmail-rspawn.c) with deliveries on threads of this
 * process: the slot limit as one byte at start; then for each request (slot, message path, sender, one
 * recipient) either an answer at once (the checks C qmail-spawn makes, with its texts) or a delivery on the
 * pool, whose answer is the slot, the translation of what qmail-remote would have printed, and a NUL. At
 * end of input the deliveries in flight finish (cancelled after {@code grace}) and their answers are
 * written. One object serves one run.
 */
final class ResidentSpawn {
    static final String SLOT_TOO_BIG = answer(ReportTemplate.SPAWN_SLOT_TOO_BIG);
    static final String SLOT_IN_USE = answer(ReportTemplate.SPAWN_SLOT_IN_USE);
    static final String NONNUMERIC_ID = answer(ReportTemplate.SPAWN_ID_NONNUMERIC);
    static final String LONG_ID = answer(ReportTemplate.SPAWN_ID_TOO_LONG);
    static final String SHORT_ID = answer(ReportTemplate.SPAWN_ID_TOO_SHORT);
    static final String NO_HOST = answer(ReportTemplate.SPAWN_NO_HOST);
    static final String CANNOT_START = answer(ReportTemplate.SPAWN_CANNOT_FORK);
    /** C qmail-rspawn's text for qmail-remote's exit status 100, which its child gives when execve fails. */
    static final String CANNOT_RUN = answer(ReportTemplate.REMOTE_CANNOT_RUN);
    /**
     * Linux's longest single argument (MAX_ARG_STRLEN, 32 pages), NUL included: C's execve of qmail-remote
     * fails with E2BIG for a longer sender or recipient, and the mail bounces as above.
     */
    static final int MAX_ARGUMENT = 32 * 4096;
    /** C qmail-rspawn's text for a qmail-remote that died; ours when even the failure report fails. */
    static final String CRASHED = answer(ReportTemplate.REMOTE_CRASHED);
    /**
     * The bytes kept of one request field; qmail's own limits are far below. C keeps any length memory allows
     * and answers "out of memory" past it; here a longer field is cut, and gets the answer C gives the whole.
     */
    static final int MAX_FIELD = 1 << 20;
    /** C's messid check counts the NUL: at most 99 characters. */
    private static final int MAX_ID = 99;
    /** How long deliveries get to write their own answers once cancelled at end of input. */
    private static final Duration AFTER_CANCEL = Duration.ofSeconds(10);

    private final int slots;
    private final Deliverer deliverer;
    private final MessageFiles files;
    private final Duration grace;
    /** The delivery in each slot, null when free; guarded by {@code this}. */
    private final InFlight[] inFlight;

    /** A delivery in a slot: how to cancel it, and whether its answer went out. */
    private record InFlight(Cancellation cancellation, AtomicBoolean answered) {
    }

    /**
     * @param slots the slot limit announced, 1..255; also the number of delivery threads
     * @param grace how long deliveries in flight may take after end of input before they are cancelled
     */
    ResidentSpawn(int slots, Deliverer deliverer, MessageFiles files, Duration grace) {
        if (slots < 1 || slots > 255) {
            throw new IllegalArgumentException("slots must be 1..255: " + slots);
        }
        this.slots = slots;
        this.deliverer = deliverer;
        this.files = files;
        this.grace = grace;
        this.inFlight = new InFlight[slots];
    }

    /**
     * Serves qmail-send until {@code in} ends (or fails to read, as C treats it), then lets the deliveries
     * in flight end and answer. Returns when all have answered, or when even cancelled ones did not.
     */
    void run(InputStream in, OutputStream out) throws InterruptedException {
        ResultPipe pipe = new ResultPipe(out);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(slots, slots, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "qremote-delivery");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        pipe.announce(slots);
        RequestParser parser = new RequestParser(MAX_FIELD);
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) != -1;) {
                for (int i = 0; i < n; i++) {
                    Request request = parser.accept(buffer[i]);
                    if (request != null) {
                        start(request, pool, pipe);
                    }
                }
            }
        } catch (IOException e) {
            // C stops reading on a read error too; what is in flight still ends
        }
        pool.shutdown();
        if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            cancelAll();
            if (!pool.awaitTermination(AFTER_CANCEL.toMillis(), TimeUnit.MILLISECONDS)) {
                answerStuck(pipe);
            }
        }
    }

    /** Answers a request at once, or starts its delivery. */
    private void start(Request request, ThreadPoolExecutor pool, ResultPipe pipe) {
        int slot = request.slot();
        String refusal = refusal(request);
        if (refusal != null) {
            pipe.answer(slot, ascii(refusal));
            return;
        }
        InFlight delivery = new InFlight(Cancellation.create(), new AtomicBoolean());
        synchronized (this) {
            inFlight[slot] = delivery;
        }
        try {
            pool.execute(() -> openAndDeliver(request, delivery, pipe));
        } catch (RuntimeException | Error e) {
            // no thread could be had (RejectedExecutionException, or OutOfMemoryError for a native thread)
            finish(slot, delivery, ascii(CANNOT_START), pipe);
        }
    }

    /**
     * Runs on a pool thread: the message file is opened here, not on the reader's thread, because the type
     * is checked by name before the open: a file turned into a FIFO in between blocks the open, and must
     * block only its own slot (answered at end of input), never the reading of requests.
     */
    private void openAndDeliver(Request request, InFlight delivery, ResultPipe pipe) {
        MessageFiles.Opened opened;
        try {
            opened = files.open(request.messageId());
        } catch (Throwable unforeseen) {
            finish(request.slot(), delivery, failure(unforeseen), pipe);
            return;
        }
        if (opened instanceof MessageFiles.Opened.Refused refused) {
            finish(request.slot(), delivery, ascii(refused.text()), pipe);
            return;
        }
        FileChannel channel = ((MessageFiles.Opened.File) opened).channel();
        if (request.sender().length() + 1 > MAX_ARGUMENT || request.recipient().length() + 1 > MAX_ARGUMENT) {
            MessageFiles.close(channel);
            finish(request.slot(), delivery, ascii(CANNOT_RUN), pipe);
            return;
        }
        deliver(request, channel, delivery, pipe);
    }

    /** The checks C qmail-spawn makes before it opens the message, in its order; null when all pass. */
    private synchronized String refusal(Request request) {
        if (request.slot() >= slots) {
            return SLOT_TOO_BIG;
        }
        if (inFlight[request.slot()] != null) {
            return SLOT_IN_USE;
        }
        String id = request.messageId();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ((i == 0 || c != '/') && (c < '0' || c > '9')) {
                return NONNUMERIC_ID;
            }
        }
        if (request.idCutNonNumeric()) {
            return NONNUMERIC_ID;
        }
        if (id.length() > MAX_ID) {
            return LONG_ID;
        }
        if (id.isEmpty()) {
            return SHORT_ID;
        }
        if (request.recipient().lastIndexOf('@') < 0 && !request.recipientCutAt()) {
            return NO_HOST;
        }
        return null;
    }

    /** Runs on a pool thread: one delivery, whatever happens answered for its slot. */
    private void deliver(Request request, FileChannel channel, InFlight delivery, ResultPipe pipe) {
        byte[] text;
        try {
            String recipient = request.recipient();
            String host = recipient.substring(recipient.lastIndexOf('@') + 1);
            DeliveryResult result = deliverer.deliver(new DeliveryRequest(host, request.sender(), List.of(recipient),
                    MessageSource.ofChannel(channel), Optional.empty(), delivery.cancellation()));
            text = ReportTranslation.translate(printed(result));
        } catch (Throwable unforeseen) {
            text = failure(unforeseen);
        } finally {
            MessageFiles.close(channel);
        }
        finish(request.slot(), delivery, text, pipe);
    }

    /** What per-process qmail-remote prints for an unforeseen failure, translated; never throws. */
    private static byte[] failure(Throwable unforeseen) {
        try {
            Report report = Reports.withDetail(ReportTemplate.INTERNAL_ERROR, unforeseen.getClass().getSimpleName());
            return ReportTranslation.translate(printed(new DeliveryResult(List.of(), report)));
        } catch (Throwable worse) {
            return ascii(CRASHED);
        }
    }

    /** qmail-remote's output for {@code result}: its reports, each NUL-terminated. */
    private static byte[] printed(DeliveryResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReportWriter(out).write(result.recipientReports(), result.messageReport());
        return out.toByteArray();
    }

    /**
     * Frees the slot, then answers: qmail-send reuses a slot only after reading its answer, and the
     * request that reuses it must find it free.
     */
    private void finish(int slot, InFlight delivery, byte[] text, ResultPipe pipe) {
        if (!delivery.answered().compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (inFlight[slot] == delivery) {
                inFlight[slot] = null;
            }
        }
        pipe.answer(slot, text);
    }

    private synchronized void cancelAll() {
        for (InFlight delivery : inFlight) {
            if (delivery != null) {
                delivery.cancellation().cancel();
            }
        }
    }

    /** Deliveries that ignored their cancellation: a Z each, so the message stays queued. */
    private void answerStuck(ResultPipe pipe) {
        InFlight[] stuck;
        synchronized (this) {
            stuck = inFlight.clone();
        }
        for (int slot = 0; slot < stuck.length; slot++) {
            if (stuck[slot] != null) {
                Report report = Reports.of(ReportTemplate.DELIVERY_CANCELLED);
                byte[] text;
                try {
                    text = ReportTranslation.translate(printed(new DeliveryResult(List.of(), report)));
                } catch (IOException | RuntimeException e) {
                    text = ascii(CRASHED);
                }
                finish(slot, stuck[slot], text, pipe);
            }
        }
    }

    /** The answer text of a catalog entry: its letter, then its text (no placeholders in these). */
    static String answer(ReportTemplate template) {
        return template.letter() + template.template();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
