package dev.qremote.bench;

import dev.qremote.fakedns.Trust;
import dev.qremote.fakemx.Action;
import dev.qremote.fakemx.QmtpScript;
import dev.qremote.fakemx.SmtpScript;
import dev.qremote.fakemx.tls.IssuedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios of {@code bin/demo --list}, in the order listed. Each is real: bin/qmail-remote delivers
 * over loopback to the bench's fake DNS and fake servers. Every scenario asks DNS through control/dnssec
 * "ad" with the fake DNS playing a validating resolver, so the AD bit that decides DANE is on the wire.
 */
public final class DemoScenarios {
    /** A message with 8-bit (Latin-1) text in its body. */
    private static final byte[] EIGHT_BIT = ("From: alice@sender.test\nTo: bob@example.test\nSubject: coffee\n\n"
            + "Caf\u00e9 cr\u00e8me, d\u00e9j\u00e0 vu.\n").getBytes(StandardCharsets.ISO_8859_1);

    private DemoScenarios() {
    }

    public static List<DemoScenario> all() {
        return List.of(
                new DemoScenario("plain", "the classic dialogue: EHLO, MAIL, RCPT, DATA, the dot, QUIT",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2");
                            attempts.deliver();
                        }),
                new DemoScenario("greylisting",
                        "451 to RCPT: the recipient is deferred (s); the retry qmail-send makes later is accepted",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder()
                                    .on("RCPT", reply(451, "4.7.1 greylisted, please try again later")).build());
                            attempts.deliver("first attempt", DemoScenario.ARGS, DemoScenario.MESSAGE);
                            bench.exchanger("127.0.0.2").script(SmtpScript.polite());
                            attempts.deliver("qmail-send retries later (the greylist now knows this triplet)",
                                    DemoScenario.ARGS, DemoScenario.MESSAGE);
                        }),
                new DemoScenario("starttls", "opportunistic STARTTLS, then EHLO again over TLS",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            IssuedCertificate cert = bench.ca().leaf("mx1.example.test");
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder().starttls(cert).build());
                            attempts.deliver();
                        }),
                new DemoScenario("dane-ok",
                        "DNSSEC-secure MX and TLSA 3 1 1 matching the server's key: TLS is mandatory and verified",
                        (bench, attempts) -> dane(bench, attempts, true)),
                new DemoScenario("dane-mismatch",
                        "the TLSA record names another key: deferred (Z), never sent in plaintext",
                        (bench, attempts) -> dane(bench, attempts, false)),
                new DemoScenario("auth", "a smarthost route with credentials: STARTTLS, then AUTH SCRAM-SHA-256",
                        (bench, attempts) -> {
                            bench.zone().a("relay", "127.0.0.3");
                            bench.control("smtproutes", "example.test:relay.test;" + bench.smtpPort()
                                    + "|alice|demo-secret\n");
                            bench.exchanger("127.0.0.3").script(SmtpScript.builder()
                                    .starttls(bench.ca().leaf("relay.test")).user("alice", "demo-secret").build());
                            attempts.deliver();
                        }),
                new DemoScenario("8bitmime", "8-bit text to a server with 8BITMIME: sent as it is, said in MAIL FROM",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2");
                            attempts.deliver(null, DemoScenario.ARGS, EIGHT_BIT);
                        }),
                new DemoScenario("8bit-downgrade",
                        "8-bit text to a server without 8BITMIME: recoded to quoted-printable",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder().extensions("PIPELINING").build());
                            attempts.deliver(null, DemoScenario.ARGS, EIGHT_BIT);
                        }),
                new DemoScenario("bdat", "CHUNKING: the message goes in BDAT chunks, no dot, no dot-stuffing",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder()
                                    .extensions("PIPELINING", "8BITMIME", "CHUNKING").build());
                            attempts.deliver();
                        }),
                new DemoScenario("qmtp", "a qmtproutes route: the message in one QMTP package, one reply per recipient",
                        (bench, attempts) -> {
                            bench.zone().a("qmtp", "127.0.0.5");
                            bench.control("qmtproutes", "example.test:qmtp.test;" + bench.smtpPort() + "\n");
                            bench.qmtpServer("127.0.0.5", QmtpScript.builder().build());
                            attempts.deliver();
                        }),
                new DemoScenario("null-mx", "the domain publishes MX 0 \".\": a bounce (D), no connection at all",
                        (bench, attempts) -> {
                            bench.zone().nullMx("example");
                            attempts.deliver();
                        }),
                new DemoScenario("mx-fallback", "the best MX answers 421: the next MX takes the message",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.zone().mx("example", 20, "mx2.example").a("mx2.example", "127.0.0.3");
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder()
                                    .on("GREETING", new Action.ThenClose(reply(421, "4.3.2 too busy, try another"))).build());
                            bench.exchanger("127.0.0.3");
                            attempts.deliver();
                        }),
                new DemoScenario("out-of-step", "one reply line too many after EHLO: out of step, deferred (Z), no MAIL",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder().on("EHLO", new Action.Raw(
                                    "250-mx.fake.test\r\n250 PIPELINING\r\n250 extra\r\n"
                                            .getBytes(StandardCharsets.ISO_8859_1))).build());
                            attempts.deliver();
                        }),
                new DemoScenario("size-limit", "SIZE 100 announced, a larger message: a bounce (D) before any data",
                        (bench, attempts) -> {
                            exampleMx(bench);
                            bench.exchanger("127.0.0.2").script(SmtpScript.builder()
                                    .extensions("PIPELINING", "SIZE 100").build());
                            attempts.deliver();
                        }));
    }

    public static Optional<DemoScenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** example.test: MX 10 mx1.example.test, which is 127.0.0.2. */
    private static void exampleMx(Bench bench) {
        bench.zone().mx("example", 10, "mx1.example").a("mx1.example", "127.0.0.2");
    }

    private static void dane(Bench bench, DemoScenario.Attempts attempts, boolean matching) throws Exception {
        bench.zoneTrust(Trust.SECURE);
        exampleMx(bench);
        IssuedCertificate cert = bench.ca().selfSigned("mx1.example.test");
        IssuedCertificate published = matching ? cert : bench.ca().selfSigned("mx1.example.test");
        bench.zone().tlsa("_25._tcp.mx1.example", 3, 1, 1, published.tlsaData(3, 1, 1));
        bench.exchanger("127.0.0.2").script(SmtpScript.builder().starttls(cert).build());
        attempts.deliver();
    }

    private static Action reply(int code, String text) {
        return new Action.Reply(code, List.of(text));
    }

    /** Every scenario asks DNS the "ad" way, so the AD bit shows; called before the first delivery. */
    static void trustAd(Bench bench) throws IOException {
        bench.control("dnssec", "ad\n");
        bench.dns().actAsValidatingResolver(true);
    }
}
