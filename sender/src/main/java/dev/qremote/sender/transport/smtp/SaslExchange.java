package dev.qremote.sender.transport.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195), SCRAM-SHA-256 (RFC 7677) and XOAUTH2
 * over SMTP AUTH. {@code user} and {@code secret} hold the bytes of the control file, one char per byte
 * (ISO-8859-1): they are sent as those very bytes, never encoded again; SCRAM, which needs characters
 * (RFC 5802 2.2), takes them as UTF-8.
 */
final class SaslExchange {
    private SaslExchange() {
    }

    static AuthStep run(SmtpClient client, String mechanism, String user, String secret)
            throws IOException, SmtpProtocolException {
        switch (mechanism) {
            case "PLAIN": {
                Reply reply = client.authLine("AUTH PLAIN " + b64("\0" + user + "\0" + secret));
                return new AuthStep(reply.code() == 235 || reply.code() == 535 ? "plain" : "AUTH PLAIN", reply);
            }
            case "LOGIN": {
                Reply first = client.authLine("AUTH LOGIN");
                if (first.code() != 334) {
                    return new AuthStep("AUTH LOGIN", first);
                }
                Reply second = client.authLine(b64(user));
                if (second.code() != 334) {
                    return new AuthStep("username", second);
                }
                return new AuthStep("AUTH LOGIN", client.authLine(b64(secret)));
            }
            case "CRAM-MD5": {
                Reply challenge = client.authLine("AUTH CRAM-MD5");
                if (challenge.code() != 334) {
                    return new AuthStep("AUTH CRAM-MD5", challenge);
                }
                byte[] nonce;
                try {
                    nonce = Base64.getDecoder().decode(challenge.lines().get(0).substring(4).trim());
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    client.authLine("*"); // cancel the exchange (RFC 4954 4)
                    return new AuthStep("challenge", challenge);
                }
                String digest = HexFormat.of().formatHex(hmacMd5(secret, nonce));
                return new AuthStep("username+digest", client.authLine(b64(user + " " + digest)));
            }
            case "SCRAM-SHA-256": {
                Scram scram = new Scram(utf8(user), utf8(secret));
                Reply challenge = client.authLine("AUTH SCRAM-SHA-256 " + scram.first());
                if (challenge.code() != 334) {
                    return new AuthStep("AUTH SCRAM-SHA-256", challenge);
                }
                String answer = scram.answer(challenge.lines().get(0).length() > 4 ? challenge.lines().get(0).substring(4) : "");
                if (answer == null) {
                    client.authLine("*");
                    return new AuthStep("challenge", challenge);
                }
                Reply last = client.authLine(answer);
                if (last.code() == 334) {
                    if (!scram.serverVerified(last.lines().get(0).length() > 4 ? last.lines().get(0).substring(4) : "")) {
                        client.authLine("*"); // the server does not know the password: it is not who it says
                        return new AuthStep("server signature", last);
                    }
                    last = client.authLine("");
                }
                return new AuthStep("AUTH SCRAM-SHA-256", last);
            }
            case "XOAUTH2": {
                Reply reply = client.authLine("AUTH XOAUTH2 " + b64("user=" + user + "\u0001auth=Bearer " + secret
                        + "\u0001\u0001"));
                if (reply.code() == 334) {
                    reply = client.authLine(""); // the server sent its error as a challenge; end the exchange
                }
                return new AuthStep("AUTH XOAUTH2", reply);
            }
            default:
                return new AuthStep("AUTH " + mechanism, new Reply(504, List.of("504 unsupported mechanism")));
        }
    }

    /** The base64 of bytes held one char per byte. */
    private static String b64(String bytes) {
        return Base64.getEncoder().encodeToString(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static byte[] hmacMd5(String secret, byte[] challenge) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            byte[] key = secret.getBytes(StandardCharsets.ISO_8859_1);
            // HMAC pads a short key with zeros (RFC 2104 2): an empty key is the key of one zero byte, which
            // SecretKeySpec, unlike HMAC, accepts
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacMD5"));
            return mac.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is part of every JDK", e);
        }
    }
}
