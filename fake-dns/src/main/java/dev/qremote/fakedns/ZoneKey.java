package dev.qremote.fakedns;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * One combined signing key (KSK and ZSK in one, flags 257) for a zone: ECDSA P-256 with SHA-256
 * (algorithm 13), generated for each run so no key material lives in the repository.
 */
public record ZoneKey(DNSKEYRecord dnskey, PrivateKey privateKey) {
    static final int FLAGS_SEP_ZONE = 257;

    public static ZoneKey generate(Name origin) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            DNSKEYRecord dnskey = new DNSKEYRecord(origin, DClass.IN, FakeZone.TTL, FLAGS_SEP_ZONE,
                    DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
            return new ZoneKey(dnskey, pair.getPrivate());
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 key", e);
        }
    }

    /** The DS record the parent zone publishes for this key (SHA-256 digest). */
    public DSRecord ds() {
        return new DSRecord(dnskey.getName(), DClass.IN, FakeZone.TTL, DNSSEC.Digest.SHA256, dnskey);
    }
}
