package dev.qremote.sender.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests come in any chunking: byte by byte, several in one read, a request split anywhere. */
class RequestParserTest {

    private static byte[] request(int slot, String id, String sender, String recipient) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(slot);
        for (String field : List.of(id, sender, recipient)) {
            out.writeBytes(field.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static List<Request> feed(RequestParser parser, byte[] bytes) {
        List<Request> requests = new ArrayList<>();
        for (byte b : bytes) {
            Request r = parser.accept(b);
            if (r != null) {
                requests.add(r);
            }
        }
        return requests;
    }

    @Test
    void cutsRequestsWhateverTheChunking() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(request(0, "12/345", "a@b.test", "c@d.test"));
        stream.writeBytes(request(255, "7/8", "", "m\u00e4x@example.test"));
        stream.writeBytes(request(0, "", "", ""));
        byte[] bytes = stream.toByteArray();
        List<Request> expected = List.of(new Request(0, "12/345", "a@b.test", "c@d.test"),
                new Request(255, "7/8", "", "m\u00e4x@example.test"), new Request(0, "", "", ""));
        for (int cut = 0; cut <= bytes.length; cut++) {
            RequestParser parser = new RequestParser(100);
            List<Request> got = new ArrayList<>(feed(parser, java.util.Arrays.copyOfRange(bytes, 0, cut)));
            got.addAll(feed(parser, java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
            assertThat(got).as("cut at %d", cut).isEqualTo(expected);
            assertThat(parser.midRequest()).isFalse();
        }
    }

    /** A slot byte of 0 is a slot, not an end of field. */
    @Test
    void aNulSlotByteIsSlotZero() {
        RequestParser parser = new RequestParser(100);
        assertThat(feed(parser, request(0, "1", "", "x@y"))).containsExactly(new Request(0, "1", "", "x@y"));
    }

    @Test
    void aFieldLongerThanKeptIsCutAndWhatCsChecksWouldSeeBeyondIsNoted() {
        RequestParser parser = new RequestParser(4);
        assertThat(feed(parser, request(3, "123456", "a", "b@c"))).containsExactly(new Request(3, "1234", "a", "b@c"));
        assertThat(feed(parser, request(3, "12345x", "a", "bcdef@c")))
                .containsExactly(new Request(3, "1234", "a", "bcde", true, true));
        assertThat(feed(parser, request(3, "1234/", "a@b.test", "bcde")))
                .as("'/' is a path byte; a recipient no longer than kept").containsExactly(new Request(3, "1234", "a@b.", "bcde"));
        assertThat(feed(parser, request(4, "1", "a", "b@c"))).as("the next request is clean")
                .containsExactly(new Request(4, "1", "a", "b@c"));
    }

    @Test
    void aRequestCutShortIsPending() {
        RequestParser parser = new RequestParser(100);
        assertThat(feed(parser, new byte[] {5, '1', 0, 'a'})).isEmpty();
        assertThat(parser.midRequest()).isTrue();
    }
}
