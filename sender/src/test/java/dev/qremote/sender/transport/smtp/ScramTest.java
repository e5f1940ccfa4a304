package dev.qremote.sender.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The example exchange of RFC 7677 section 3, byte for byte. */
class ScramTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677Example() {
        Scram scram = new Scram("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertThat(text(scram.first())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        String answer = scram.answer(b64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThat(text(answer)).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(scram.serverVerified(b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isTrue();
        assertThat(scram.serverVerified(b64("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isFalse();
    }

    @Test
    void unacceptableChallengesAreRefused() {
        Scram scram = new Scram("user", "pencil", "abc");
        scram.first();
        assertThat(scram.answer(b64("r=xyz123,s=AAAA,i=4096"))).as("nonce not ours").isNull();
        assertThat(scram.answer(b64("r=abc,s=AAAA,i=4096"))).as("no server part").isNull();
        assertThat(scram.answer(b64("r=abcdef,s=AAAA,i=2000000000"))).as("endless iterations").isNull();
        assertThat(scram.answer("!!!")).isNull();
    }
}
