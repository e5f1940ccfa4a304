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
 * Checks SASL exchanges (RFC 4954) against configured users: PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195),
 * SCRAM-SHA-256 (RFC 7677) and XOAUTH2 (the secret is the bearer token). Pure logic: the session does the I/O.
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
        String user = new String(answer.substring(0, space).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
        String secret = users.get(user);
        if (secret == null || !asBytes(user).equals(answer.substring(0, space))) {
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

    /**
     * SCRAM-SHA-256 (RFC 7677), server side: {@code clientFirst} and the answer to {@code challenge} come from
     * the session. Returns the server-final message (base64) when the proof holds, empty otherwise.
     */
    Optional<String> scramVerify(String user, String clientFirstBare, String serverFirst, String clientFinalBase64) {
        String secret = users.get(user);
        if (secret == null) {
            return Optional.empty();
        }
        String clientFinal = decode(clientFinalBase64);
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            return Optional.empty();
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        byte[] proof;
        try {
            proof = java.util.Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String salt = attribute(serverFirst, "s");
        int iterations = Integer.parseInt(attribute(serverFirst, "i"));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = pbkdf2(secret, java.util.Base64.getDecoder().decode(salt), iterations);
        byte[] clientKey = hmacSha256(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmacSha256(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        if (proof.length != clientSignature.length) {
            return Optional.empty();
        }
        byte[] recovered = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            recovered[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(sha256(recovered), storedKey)) {
            return Optional.empty();
        }
        byte[] serverSignature = hmacSha256(hmacSha256(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)),
                authMessage.getBytes(StandardCharsets.UTF_8));
        return Optional.of(encode("v=" + java.util.Base64.getEncoder().encodeToString(serverSignature)));
    }

    static String attribute(String message, String name) {
        for (String part : message.split(",")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SCRAM's messages are UTF-8 text (RFC 5802 5.1). */
    static String decodeText(String base64) {
        return new String(decode(base64).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code user} and {@code secret} are the bytes the client sent, one char per byte: they must be the
     * UTF-8 bytes of a configured user and its secret, byte for byte (no decoding that could make two byte
     * strings equal).
     */
    private Optional<String> check(String user, String secret) {
        for (Map.Entry<String, String> known : users.entrySet()) {
            if (asBytes(known.getKey()).equals(user)) {
                return MessageDigest.isEqual(known.getValue().getBytes(StandardCharsets.UTF_8),
                        secret.getBytes(StandardCharsets.ISO_8859_1)) ? Optional.of(known.getKey()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The UTF-8 bytes of {@code text}, one char per byte. */
    private static String asBytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The decoded bytes, one char per byte. */
    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static byte[] hmacMd5(String secret, String challenge) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacMD5")); // RFC 2104: zero-padded
            return mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
