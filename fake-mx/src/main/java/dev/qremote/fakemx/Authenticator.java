package dev.qremote.fakemx;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks SASL exchanges (RFC 4954) against configured users: PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195)
 * and XOAUTH2 (the secret is the bearer token). Pure logic: the session does the I/O.
 */
final class Authenticator {
    private final Map<String, String> users;

    Authenticator(Map<String, String> users) {
        this.users = Map.copyOf(users);
    }

    /** PLAIN: base64 of "authzid NUL user NUL password"; the user it proves, if any. */
    Optional<String> plain(String base64) {
        String[] parts = decode(base64).split("\0", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        return check(parts[1], parts[2]);
    }

    Optional<String> login(String userBase64, String passwordBase64) {
        return check(decode(userBase64), decode(passwordBase64));
    }

    /** CRAM-MD5: base64 of "user hex(HMAC-MD5(secret, challenge))". */
    Optional<String> cramMd5(String challenge, String base64) {
        String answer = decode(base64);
        int space = answer.lastIndexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String user = answer.substring(0, space);
        String secret = users.get(user);
        if (secret == null) {
            return Optional.empty();
        }
        String expected = HexFormat.of().formatHex(hmacMd5(secret, challenge));
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                answer.substring(space + 1).getBytes(StandardCharsets.US_ASCII));
        return same ? Optional.of(user) : Optional.empty();
    }

    /** XOAUTH2: base64 of "user=U^Aauth=Bearer TOKEN^A^A". */
    Optional<String> xoauth2(String base64) {
        String user = null;
        String token = null;
        for (String field : decode(base64).split("\u0001")) {
            if (field.startsWith("user=")) {
                user = field.substring(5);
            } else if (field.startsWith("auth=Bearer ")) {
                token = field.substring(12);
            }
        }
        return user == null || token == null ? Optional.empty() : check(user, token);
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<String> check(String user, String secret) {
        String expected = users.get(user);
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8)) ? Optional.of(user) : Optional.empty();
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static byte[] hmacMd5(String secret, String challenge) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
