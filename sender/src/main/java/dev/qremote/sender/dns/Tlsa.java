package dev.qremote.sender.dns;

import java.util.HexFormat;

/** One TLSA record (RFC 6698): certificate usage, selector, matching type, association data. */
public record Tlsa(int usage, int selector, int matchingType, byte[] data) {
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    public Tlsa {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Usable for SMTP (RFC 7672 3.1): DANE-TA or DANE-EE, a known selector and matching type. */
    public boolean usableForSmtp() {
        return (usage == DANE_TA || usage == DANE_EE) && (selector == 0 || selector == 1)
                && matchingType >= 0 && matchingType <= 2;
    }

    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
