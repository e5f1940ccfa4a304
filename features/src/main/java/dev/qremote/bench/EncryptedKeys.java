package dev.qremote.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.openssl.PKCS8Generator;

/** PEM text of a private key encrypted with a password (PKCS#8, AES-256-CBC), as OpenSSL writes it. */
final class EncryptedKeys {
    private EncryptedKeys() {
    }

    static String pem(PrivateKey key, String password) throws IOException {
        try {
            JceOpenSSLPKCS8EncryptorBuilder encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC);
            encryptor.setPassword(password.toCharArray());
            encryptor.setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new JcaPKCS8Generator(key, encryptor.build()));
            }
            return text.toString();
        } catch (OperatorCreationException e) {
            throw new IOException("cannot encrypt a test key", e);
        }
    }
}
