package dev.qremote.sender.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qremote.sender.delivery.DeliveryRequest;
import dev.qremote.sender.delivery.DeliveryResult;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.ReportTemplate;
import dev.qremote.sender.report.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spawn protocol in this JVM over OS pipes, with stand-in deliveries: C qmail-spawn's checks and texts,
 * slots, concurrency, failures, and the end of input. The real engine and a real process are in
 * SpawnMainTest and in features.
 */
@Timeout(60)
class ResidentSpawnTest {
    @TempDir
    Path home;
    private Path mess;
    private UserPrincipal owner;

    @BeforeEach
    void setUp() throws IOException {
        mess = Files.createDirectories(home.resolve("queue/mess/0"));
        mess = home.resolve("queue/mess");
        owner = Files.getOwner(mess);
    }

    private String message(String id) throws IOException {
        Files.writeString(mess.resolve(id), "Subject: " + id + "\n\nhi\n");
        return id;
    }

    private Peer spawn(int slots, Deliverer deliverer, Duration grace, UserPrincipal queueUser) throws IOException {
        return new Peer((in, out) -> {
            new ResidentSpawn(slots, deliverer, new MessageFiles(mess, queueUser), grace).run(in, out);
            return 0;
        });
    }

    private Peer spawn(int slots, Deliverer deliverer) throws IOException {
        return spawn(slots, deliverer, Duration.ofSeconds(30), owner);
    }

    /** qmail-remote's reports for an accepted recipient, naming the recipient in the server's words. */
    private static DeliveryResult accepted(DeliveryRequest request) {
        return new DeliveryResult(List.of(Reports.of(ReportTemplate.RECIPIENT_ACCEPTED)),
                Reports.forPeer(ReportTemplate.MESSAGE_ACCEPTED, InetAddress.getLoopbackAddress(),
                        List.of("250 ok " + request.recipients().get(0))));
    }

    private static String text(Report report) {
        String printed = new String(report.bytes(), StandardCharsets.ISO_8859_1);
        return printed.substring(0, printed.length() - 1);
    }

    @Test
    void announcesItsSlotLimitFirst() throws Exception {
        try (Peer peer = spawn(7, ResidentSpawnTest::accepted)) {
            assertThat(peer.slotLimit()).isEqualTo(7);
            peer.closeRequests();
            assertThat(peer.next()).isNull();
            assertThat(peer.awaitEnd(5000)).isZero();
        }
    }

    @Test
    void answersEachCheckWithCQmailSpawnsText() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Deliverer held = request -> {
            await(release);
            return accepted(request);
        };
        Files.createDirectories(mess.resolve("1"));
        try (Peer peer = spawn(4, held)) {
            assertThat(peer.slotLimit()).isEqualTo(4);
            peer.send(0, message("0/100"), "a@b.test", "c@d.test"); // held in slot 0
            peer.send(4, message("0/101"), "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(4, ResidentSpawn.SLOT_TOO_BIG));
            peer.send(255, "0/101", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(255, ResidentSpawn.SLOT_TOO_BIG));
            peer.send(0, "0/101", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(0, ResidentSpawn.SLOT_IN_USE));
            for (String id : List.of("0/10a", "/0/101", "0/-1", "0 101", "0.101")) {
                peer.send(1, id, "a@b.test", "c@d.test");
                assertThat(peer.next()).as(id).isEqualTo(new Peer.Answer(1, ResidentSpawn.NONNUMERIC_ID));
            }
            peer.send(1, "1".repeat(100), "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, ResidentSpawn.LONG_ID));
            peer.send(1, "1".repeat(99), "a@b.test", "c@d.test"); // long enough to pass, and not there
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, MessageFiles.UNABLE_TO_OPEN));
            peer.send(1, "", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, ResidentSpawn.SHORT_ID));
            peer.send(1, "0/101", "a@b.test", "postmaster");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, ResidentSpawn.NO_HOST));
            peer.send(1, "0/999", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, MessageFiles.UNABLE_TO_OPEN));
            peer.send(2, "1", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(2, MessageFiles.WRONG_TYPE));
            // the kernel refuses "0/101/" (ENOTDIR) where Java's Path quietly drops the slash
            peer.send(2, message("0/101") + "/", "a@b.test", "c@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(2, MessageFiles.UNABLE_TO_OPEN));
            // C's execve fails (E2BIG) for an argument of 128 KiB or more: "Unable to run", a bounce
            peer.send(2, message("0/102"), "a@b.test", "c".repeat(ResidentSpawn.MAX_ARGUMENT) + "@d.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(2, ResidentSpawn.CANNOT_RUN));
            // a field past what is kept: C's answer for the whole field (C keeps any length memory allows)
            String big = "1".repeat(ResidentSpawn.MAX_FIELD + 1);
            peer.sendRaw(Peer.request(3, big, "a@b.test", "c@d.test"));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.LONG_ID));
            peer.sendRaw(Peer.request(3, big + "x", "a@b.test", "c@d.test"));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.NONNUMERIC_ID));
            peer.sendRaw(Peer.request(3, big + "/", "a@b.test", "c@d.test"));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.LONG_ID));
            peer.sendRaw(Peer.request(3, message("0/103"), "a".repeat(ResidentSpawn.MAX_FIELD + 1), "c@d.test"));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.CANNOT_RUN));
            peer.sendRaw(Peer.request(3, "0/103", "a@b.test", "c".repeat(ResidentSpawn.MAX_FIELD + 1) + "@d.test"));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.CANNOT_RUN));
            peer.sendRaw(Peer.request(3, "0/103", "a@b.test", "c".repeat(ResidentSpawn.MAX_FIELD + 1)));
            assertThat(peer.next()).isEqualTo(new Peer.Answer(3, ResidentSpawn.NO_HOST));
            release.countDown();
            assertThat(peer.next()).satisfies(a -> {
                assertThat(a.slot()).isZero();
                assertThat(a.text()).isEqualTo("K127.0.0.1 accepted message.\nRemote host said: 250 ok c@d.test\n");
            });
            peer.send(0, "0/101", "a@b.test", "c@d.test"); // slot 0 is free again once answered
            assertThat(peer.next().text()).startsWith("K127.0.0.1 accepted message.");
            peer.closeRequests();
            assertThat(peer.next()).isNull();
            assertThat(peer.awaitEnd(5000)).isZero();
        }
    }

    /** C compares the file's owner with qmailq's uid: a file of anyone else is not delivered. */
    @Test
    void aMessageOfAnotherOwnerIsRefused() throws Exception {
        UserPrincipal someoneElse = null;
        for (String name : List.of("nobody", "daemon", "root", "bin")) {
            try {
                UserPrincipal p = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
                if (!p.equals(owner)) {
                    someoneElse = p;
                    break;
                }
            } catch (IOException e) {
                // not on this machine
            }
        }
        assertThat(someoneElse).as("a user other than the test's").isNotNull();
        try (Peer peer = spawn(2, ResidentSpawnTest::accepted, Duration.ofSeconds(5), someoneElse)) {
            peer.slotLimit();
            peer.send(1, message("0/7"), "", "x@y.test");
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, MessageFiles.WRONG_OWNER));
            peer.send(0, message("0/8"), "", "x@y.test");
            assertThat(peer.next()).as("the owner's uid, known by now, is still not the queue user's")
                    .isEqualTo(new Peer.Answer(0, MessageFiles.WRONG_OWNER));
        }
    }

    /** The delivery gets the host after the last '@', the sender, the one recipient and the file's bytes. */
    @Test
    void theDeliveryGetsWhatQmailRemoteWouldGet() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Deliverer recording = request -> {
            try (InputStream in = request.message().open()) {
                Files.delete(mess.resolve("0/5")); // qmail-clean may unlink it: the open file stays readable
                seen.add(request.host() + "|" + request.sender() + "|" + request.recipients() + "|"
                        + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return accepted(request);
        };
        try (Peer peer = spawn(3, recording)) {
            peer.slotLimit();
            peer.send(2, message("0/5"), "s\u00e9nder@a.test", "\"odd@name\"@b@c.test");
            assertThat(peer.next().slot()).isEqualTo(2);
            assertThat(seen).containsExactly("c.test|s\u00e9nder@a.test|[\"odd@name\"@b@c.test]|Subject: 0/5\n\nhi\n");
            peer.send(1, "0/5", "", "x@y.test"); // the file vanished
            assertThat(peer.next()).isEqualTo(new Peer.Answer(1, MessageFiles.UNABLE_TO_OPEN));
        }
    }

    /** 20 deliveries at once: each waits until all 20 have started, and each answer names its slot's recipient. */
    @Test
    void twentyDeliveriesRunAtOnceAndAnswerForTheirSlots() throws Exception {
        CountDownLatch all = new CountDownLatch(20);
        Deliverer together = request -> {
            all.countDown();
            await(all);
            return accepted(request);
        };
        try (Peer peer = spawn(20, together)) {
            peer.slotLimit();
            // one write carries all the requests; the slots go out of order
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                int slot = (i * 7) % 20;
                batch.writeBytes(Peer.request(slot, message("0/" + (200 + slot)), "a@b.test", "r" + slot + "@x.test"));
            }
            peer.sendRaw(batch.toByteArray());
            Map<Integer, String> answers = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                Peer.Answer a = peer.next();
                assertThat(answers.put(a.slot(), a.text())).as("slot %d answered twice", a.slot()).isNull();
            }
            for (int slot = 0; slot < 20; slot++) {
                assertThat(answers.get(slot)).isEqualTo(
                        "K127.0.0.1 accepted message.\nRemote host said: 250 ok r" + slot + "@x.test\n");
            }
        }
    }

    @Test
    void aDeliveryThatFailsUnexpectedlyDefersItsSlotAlone() throws Exception {
        Deliverer flaky = request -> {
            if (request.recipients().get(0).startsWith("boom")) {
                throw new IllegalStateException("a bug");
            }
            return accepted(request);
        };
        try (Peer peer = spawn(5, flaky)) {
            peer.slotLimit();
            peer.send(0, message("0/1"), "", "one@x.test");
            peer.send(1, message("0/2"), "", "boom@x.test");
            peer.send(2, message("0/3"), "", "three@x.test");
            Map<Integer, String> answers = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                Peer.Answer a = peer.next();
                answers.put(a.slot(), a.text());
            }
            assertThat(answers.get(1)).isEqualTo("ZSorry, qmail-remote failed unexpectedly (IllegalStateException). (#4.3.0)\n");
            assertThat(answers.get(0)).startsWith("K");
            assertThat(answers.get(2)).startsWith("K");
        }
    }

    /** qmail-send closes the requests with deliveries in flight: they finish and answer, then the run ends. */
    @Test
    void theEndOfInputLetsDeliveriesInFlightAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Deliverer held = request -> {
            await(release);
            return accepted(request);
        };
        try (Peer peer = spawn(3, held)) {
            peer.slotLimit();
            peer.send(0, message("0/1"), "", "one@x.test");
            peer.send(1, message("0/2"), "", "two@x.test");
            peer.sendRaw(new byte[] {2, '0', '/'}); // a request cut short by the end: dropped, as in C
            peer.closeRequests();
            Thread.sleep(200);
            release.countDown();
            List<Integer> slots = new java.util.ArrayList<>();
            for (Peer.Answer a; (a = peer.next()) != null;) {
                assertThat(a.text()).startsWith("K127.0.0.1 accepted message.");
                slots.add(a.slot());
            }
            assertThat(slots).containsExactlyInAnyOrder(0, 1);
            assertThat(peer.awaitEnd(5000)).isZero();
        }
    }

    /** A delivery still running a grace period after the end of input is cancelled, and its Z is written. */
    @Test
    void aDeliveryPastTheGraceIsCancelledAndDeferred() throws Exception {
        Deliverer slow = request -> {
            while (!request.cancellation().cancelled()) {
                sleep(10);
            }
            return new DeliveryResult(List.of(), Reports.of(ReportTemplate.DELIVERY_CANCELLED));
        };
        try (Peer peer = spawn(1, slow, Duration.ofMillis(300), owner)) {
            peer.slotLimit();
            peer.send(0, message("0/1"), "", "one@x.test");
            long start = System.nanoTime();
            peer.closeRequests();
            assertThat(peer.next()).isEqualTo(new Peer.Answer(0, text(Reports.of(ReportTemplate.DELIVERY_CANCELLED))));
            assertThat(peer.next()).isNull();
            assertThat(peer.awaitEnd(5000)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    /** qmail-send stops reading: deliveries still run to their end, nothing blocks, the run ends at EOF. */
    @Test
    void answersNobodyReadsDoNotStopTheRun() throws Exception {
        CountDownLatch delivered = new CountDownLatch(2);
        Deliverer counting = request -> {
            delivered.countDown();
            return accepted(request);
        };
        try (Peer peer = spawn(2, counting)) {
            peer.slotLimit();
            peer.closeAnswers();
            peer.send(0, message("0/1"), "", "one@x.test");
            peer.send(1, message("0/2"), "", "two@x.test");
            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
            peer.closeRequests();
            assertThat(peer.awaitEnd(5000)).isZero();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
