package dev.qremote.sender.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.tls.TlsMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSnapshotTest {
    @TempDir
    Path home;

    @BeforeEach
    void me() throws Exception {
        write("me", "me.test\n");
    }

    private void write(String name, String content) throws Exception {
        Path file = home.resolve("control").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
    }

    private static String problem(dev.qremote.sender.control.Checked<?> checked) {
        return checked.problem().map(ControlFileException::getMessage).orElse("none");
    }

    @Test
    void dnssecIsAModeInAnyCaseAndValidateByDefault() throws Exception {
        assertThat(ControlSnapshot.read(home).dnssec().get()).isEqualTo(DnssecMode.VALIDATE);
        write("dnssec", "AD\n");
        assertThat(ControlSnapshot.read(home).dnssec().get()).isEqualTo(DnssecMode.TRUST_AD);
        write("dnssec", "off  \n");
        assertThat(ControlSnapshot.read(home).dnssec().get()).isEqualTo(DnssecMode.OFF);
        write("dnssec", "\n");
        assertThat(ControlSnapshot.read(home).dnssec().get()).isEqualTo(DnssecMode.VALIDATE);
    }

    @Test
    void aBadDnssecValueIsRecordedWithTheDetailTheReportGives() throws Exception {
        write("dnssec", "maybe\n");
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.controls().problem()).isEmpty();
        assertThat(problem(snapshot.dnssec())).isEqualTo("dnssec line 1: 'maybe' is not validate, ad or off");
        ControlFileException first = snapshot.dnssec().problem().orElseThrow();
        assertThatThrownBy(() -> snapshot.dnssec().get()).isInstanceOf(ControlFileException.class)
                .isNotSameAs(first).hasMessage(first.getMessage())
                .satisfies(e -> assertThat(((ControlFileException) e).invalidContent()).isTrue());
    }

    @Test
    void tlsDestinationsAreParsedOnceAndAnInvalidLineNamesItsLine() throws Exception {
        write("tlsdestinations", "# policy\n*:\n!plain.test:\n");
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.tlsDestinations().get().policyFor("plain.test", "mx.plain.test", "a@b.test").mode())
                .isEqualTo(TlsMode.NEVER);
        assertThat(snapshot.tlsDestinations().get().policyFor("x.test", "mx.x.test", "a@b.test").matchedRule())
                .isEqualTo("tlsdestinations line 2");

        write("tlsdestinations", "*:\n%pinned.test:\n");
        assertThat(problem(ControlSnapshot.read(home).tlsDestinations()))
                .isEqualTo("tlsdestinations line 2: '%' needs =fingerprint");
    }

    @Test
    void trustAnchorsAreCheckedOnlyWhenValidatedHere() throws Exception {
        write("trustanchors", "# root\n. IN DS garbage\n");
        assertThat(problem(ControlSnapshot.read(home).trustAnchors())).startsWith("trustanchors line 2");
        write("dnssec", "ad\n");
        assertThat(ControlSnapshot.read(home).trustAnchors().get()).isPresent();
    }

    @Test
    void problemsOfLaterFilesLeaveTheControlsUsable() throws Exception {
        write("domaincerts", "*:a\0b\n");
        write("tlsclientciphers", "AES128:AES256\nCHACHA\n");
        write("authplaintext", "relay.test\n*\n");
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.controls().get().heloHost()).isEqualTo("me.test");
        assertThat(problem(snapshot.domainCerts())).isEqualTo("domaincerts line 1: a CR or NUL byte, which no control"
                + " file line can hold");
        assertThat(snapshot.tlsClientCiphers().get()).containsExactly("AES128", "AES256", "CHACHA");
        assertThat(snapshot.authPlaintext().get()).containsExactly("relay.test", "*");
    }

    @Test
    void aMissingMeIsTheUnreadableProblemAndNothingBuiltOnItIsUsable() throws Exception {
        Files.delete(home.resolve("control/me"));
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.homeReachable()).isTrue();
        assertThat(snapshot.controls().problem().orElseThrow().invalidContent()).isFalse();
        assertThat(snapshot.dnssec().problem()).isPresent();
    }

    @Test
    void aHomeThatIsNoDirectoryIsSaidSo() {
        assertThat(ControlSnapshot.read(home.resolve("nowhere")).homeReachable()).isFalse();
    }

    private void mkfifo(Path fifo) throws Exception {
        Files.createDirectories(fifo.getParent());
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).as("mkfifo").isZero();
    }

    /** Read in a thread of its own: a FIFO opened as a directory blocked the read (and every delivery) for good. */
    private ControlSnapshot readWithin10s() throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> ControlSnapshot.read(home))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aFifoDeviceOrFileInPlaceOfTlsHostsOrNoTlsHostsIsNotADirectoryAtOnce() throws Exception {
        for (String name : List.of("tlshosts", "notlshosts")) {
            Path path = home.resolve("control").resolve(name);
            mkfifo(path);
            assertThat(problem(readWithin10s().hostDirectories())).isEqualTo("control/" + name + " is not a directory");
            Files.delete(path);
            Files.createSymbolicLink(path, Path.of("/dev/zero"));
            assertThat(problem(readWithin10s().hostDirectories())).isEqualTo("control/" + name + " is not a directory");
            Files.delete(path);
            write(name, "mx1.test.pem\n");
            assertThat(problem(readWithin10s().hostDirectories())).isEqualTo("control/" + name + " is not a directory");
            Files.delete(path);
            Files.createSymbolicLink(path, home.resolve("nowhere"));
            assertThat(problem(readWithin10s().hostDirectories())).isEqualTo("control/" + name + " is not a directory");
            Files.delete(path);
            Files.createDirectories(path);
            assertThat(problem(readWithin10s().hostDirectories())).isEqualTo("none");
            Files.delete(path);
        }
        assertThat(problem(readWithin10s().hostDirectories())).as("missing: no host named").isEqualTo("none");
        Files.createDirectories(home.resolve("real"));
        Files.createSymbolicLink(home.resolve("control/tlshosts"), home.resolve("real"));
        assertThat(problem(readWithin10s().hostDirectories())).as("a link to a directory is one").isEqualTo("none");
    }

    /** The TLS patches stat() tlshosts/MX.pem: whatever is there makes TLS required, and a CA that cannot load defers. */
    @Test
    void aTlsHostsEntryThatIsNoRegularFileStillRequiresTls() throws Exception {
        Path tlshosts = home.resolve("control/tlshosts");
        mkfifo(tlshosts.resolve("fifo.test.pem"));
        Files.createSymbolicLink(tlshosts.resolve("zero.test.pem"), Path.of("/dev/zero"));
        Files.createSymbolicLink(tlshosts.resolve("dangling.test.pem"), home.resolve("nowhere"));
        ControlSnapshot snapshot = readWithin10s();
        assertThat(snapshot.inTlsHosts("fifo.test.pem")).isTrue();
        assertThat(snapshot.inTlsHosts("zero.test.pem")).isTrue();
        assertThat(snapshot.inTlsHosts("dangling.test.pem")).isTrue();
        assertThat(snapshot.inTlsHosts("absent.test.pem")).isFalse();
    }

    @Test
    void tlsHostsAndNoTlsHostsAreTheNamesPresent() throws Exception {
        write("tlshosts/mx1.test.pem", "x");
        Files.createDirectories(home.resolve("control/tlshosts/dir.test.pem"));
        write("notlshosts/mx2.test", "");
        Files.createDirectories(home.resolve("control/notlshosts/mx3.test"));
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.inTlsHosts("mx1.test.pem")).isTrue();
        assertThat(snapshot.inTlsHosts("dir.test.pem")).as("there, so TLS is required (its CA cannot load)").isTrue();
        assertThat(snapshot.inTlsHosts("mx2.test.pem")).isFalse();
        assertThat(snapshot.inNoTlsHosts("mx2.test")).isTrue();
        assertThat(snapshot.inNoTlsHosts("mx3.test")).as("anything there counts, as before").isTrue();
        assertThat(snapshot.inNoTlsHosts("mx1.test")).isFalse();
        assertThat(snapshot.controlPath("tlshosts")).isEqualTo(home.resolve("control").resolve("tlshosts"));
    }

    @Test
    void clientCertPemIsThereOnlyAsARegularFile() throws Exception {
        assertThat(ControlSnapshot.read(home).clientCertPem()).isFalse();
        write("clientcert.pem", "x");
        assertThat(ControlSnapshot.read(home).clientCertPem()).isTrue();
    }

    @Test
    void tokenFilesNamedByRoutesAreReadAhead() throws Exception {
        write("smtproutes", "a.test:[127.0.0.1];25|user|oauth2:token\nb.test:[127.0.0.1];25|user|oauth2:/nonexistent\n"
                + "c.test:[127.0.0.1];25|user|oauth2:control/me\n");
        write("authsenders", "@x.test:[127.0.0.1];25|user|oauth2:other\n");
        Files.writeString(home.resolve("token"), "  tok.en \n");
        Files.writeString(home.resolve("other"), "\u00e9", StandardCharsets.ISO_8859_1);
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        assertThat(snapshot.oauthToken("token")).contains("tok.en");
        assertThat(snapshot.oauthToken("/nonexistent")).isEmpty();
        assertThat(snapshot.oauthToken("control/me")).contains("me.test");
        assertThat(snapshot.oauthToken("other")).contains("\u00e9");
        assertThat(snapshot.oauthToken("never-named")).isEmpty();
        assertThat(snapshot.stamps()).as("a snapshot read for one delivery is not stamped").isEmpty();
        assertThat(ControlSnapshot.read(home, true).stamps()).containsKey(home.resolve("token"))
                .containsKey(home.resolve("control/smtproutes")).containsKey(home.resolve("control/tlshosts"));
    }

    @Test
    void aTokenNameThatIsNoRegularFileIsNotReadAhead() throws Exception {
        Path fifo = home.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo");
        write("smtproutes", "a.test:[127.0.0.1];25|user|oauth2:fifo\nb.test:[127.0.0.1];25|user|oauth2:/\n");
        ControlSnapshot snapshot = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), () -> ControlSnapshot.read(home), "a pipe without writer blocks");
        assertThat(snapshot.oauthToken("fifo")).isEmpty();
        assertThat(snapshot.oauthToken("/")).isEmpty();
    }

    @Test
    void theSnapshotKeepsWhatItRead() throws Exception {
        write("tlsclientciphers", "AES128\n");
        ControlSnapshot snapshot = ControlSnapshot.read(home);
        write("tlsclientciphers", "AES256\n");
        assertThat(snapshot.tlsClientCiphers().get()).isEqualTo(List.of("AES128"));
        assertThat(snapshot.trustAnchors().get()).isEqualTo(Optional.empty());
    }
}
