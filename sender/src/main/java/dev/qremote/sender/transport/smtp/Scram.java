package dev.qremote.sender.transport.smtp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the proof that the
 * password is known, never the password, and a check that the server knows it too. The password is used as
 * UTF-8 without SASLprep (ASCII passwords are unaffected).
 */
final class Scram {
    static final int MAX_ITERATIONS = 1_000_000;

    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    Scram(String user, String password) {
        this(user, password, randomNonce());
    }

    /** With a chosen nonce: for RFC 7677's test vector. */
    Scram(String user, String password, String clientNonce) {
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    private static String randomNonce() {
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        return Base64.getEncoder().withoutPadding().encodeToString(nonce);
    }

    /** The client-first message, base64. */
    String first() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return b64("n,," + clientFirstBare);
    }

    /** The client-final message for the server-first challenge; null when the challenge is unacceptable. */
    String answer(String serverFirstBase64) {
        String serverFirst;
        try {
            serverFirst = new String(Base64.getDecoder().decode(serverFirstBase64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String nonce = attribute(serverFirst, "r");
        String salt = attribute(serverFirst, "s");
        String iterations = attribute(serverFirst, "i");
        if (nonce == null || salt == null || iterations == null || !nonce.startsWith(clientNonce)
                || nonce.length() == clientNonce.length()) {
            return null;
        }
        int count;
        byte[] saltBytes;
        try {
            count = Integer.parseInt(iterations);
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (count < 1 || count > MAX_ITERATIONS) {
            return null; // a server must not make us compute without end
        }
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = pbkdf2(password, saltBytes, count);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)),
                authMessage.getBytes(StandardCharsets.UTF_8));
        return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** Whether the server-final message proves the server knows the password too. */
    boolean serverVerified(String serverFinalBase64) {
        try {
            String serverFinal = new String(Base64.getDecoder().decode(serverFinalBase64.trim()), StandardCharsets.UTF_8);
            String v = attribute(serverFinal, "v");
            return v != null && serverSignature != null
                    && MessageDigest.isEqual(Base64.getDecoder().decode(v), serverSignature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String attribute(String message, String name) {
        for (String part : message.split(",")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
