package dev.qremote.sender.dns;

/** IANA's root zone key-signing keys as DS records (data.iana.org/root-anchors): KSK-2017 and KSK-2024. */
public final class RootTrustAnchors {
    public static final String IANA = ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
            + ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

    private RootTrustAnchors() {
    }
}
