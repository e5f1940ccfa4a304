package dev.qremote.sender.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** control/trustanchors is checked before any lookup: what cannot be loaded is named by its line. */
class TrustAnchorTextTest {
    private static final String DS = ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";

    @Test
    void ianasAnchorsAndCommentedAnchorsAreFine() {
        assertThat(TrustAnchorText.problem(RootTrustAnchors.IANA)).isEmpty();
        assertThat(TrustAnchorText.problem("\n\n" + DS + "; a comment\n$TTL 3600\n")).isEmpty();
        assertThat(TrustAnchorText.problem(". IN DNSKEY 257 3 8 AwEAAQ==\n")).isEmpty();
    }

    @Test
    void garbageIsNamedByItsLine() {
        assertThat(TrustAnchorText.problem("garbage\n"))
                .contains("line 1: not a DS or DNSKEY record in master-file format");
        assertThat(TrustAnchorText.problem("\n" + DS + "\n\ngarbage\n\n"))
                .contains("line 5: not a DS or DNSKEY record in master-file format");
        assertThat(TrustAnchorText.problem(DS + ". IN DS 20326 8 2 E06D\n"))
                .contains("line 2: not a DS or DNSKEY record in master-file format");
        assertThat(TrustAnchorText.problem(". IN DS 999999 8 2 AA\n"))
                .contains("line 1: not a DS or DNSKEY record in master-file format");
    }

    @Test
    void directivesThatReachBeyondTheFileAreRefused() {
        assertThat(TrustAnchorText.problem(DS + "$INCLUDE /etc/passwd\n"))
                .contains("line 2: only the $ORIGIN and $TTL directives are followed");
        assertThat(TrustAnchorText.problem("$GENERATE 1-100000 x$ IN A 1.2.3.4\n"))
                .contains("line 1: only the $ORIGIN and $TTL directives are followed");
    }

    @Test
    void bytesBeyondAsciiAndAFileWithoutAnchorsAreRefused() {
        assertThat(TrustAnchorText.problem(DS + ". IN DS 1 8 2 \u00e9\n"))
                .contains("line 2: a byte that is not printable ASCII");
        assertThat(TrustAnchorText.problem("example. IN A 192.0.2.1\n")).contains("no DS or DNSKEY record");
    }
}
