package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that breaks RFC 6455 is closed with the code that fits, and only that client: a bystander
 * connected all along keeps working.
 */
@QuarkusTest
class ProtocolViolationTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    private WsClient bystander;

    @BeforeEach
    void connectBystander() {
        bystander = WsClient.connect(base, "/echo");
    }

    @AfterEach
    void bystanderStillWorks() {
        bystander.send("still fine");
        bystander.expectText("Echo: still fine");
        bystander.close();
    }

    private interface Violation {
        void commit(RawClient client) throws Exception;
    }

    private Frame violate(String tag, Violation violation) throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=" + tag)) {
            journal.next(tag); // early send
            journal.next(tag); // open
            violation.commit(client);
            Frame close = client.readUntilClose();
            assertTrue(client.awaitEndOfStream(5000), "the server drops a violating client at once");
            return close;
        }
    }

    private void expectScriptSaw(String tag, int code) {
        assertTrue(journal.next(tag).startsWith("error "), "the script sees an error event first");
        assertTrue(journal.next(tag).startsWith("close " + code + " "), "then the close event with " + code);
    }

    @Test
    void invalidUtf8TextCloses1007() throws Exception {
        Frame close = violate("utf8", c -> c.sendFrame(true, 0, RawClient.TEXT, new byte[] {(byte) 0xC3, 0x28}, true));
        assertEquals(1007, close.closeCode());
        expectScriptSaw("utf8", 1007);
    }

    @Test
    void invalidUtf8AcrossFragmentsCloses1007() throws Exception {
        Frame close = violate("utf8-fragments", c -> {
            c.sendFrame(false, 0, RawClient.TEXT, "ok".getBytes(StandardCharsets.UTF_8), true);
            c.sendFrame(true, 0, RawClient.CONTINUATION, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, true);
        });
        assertEquals(1007, close.closeCode());
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValid() throws Exception {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        try (RawClient client = RawClient.handshake(base, "/echo")) {
            client.sendFrame(false, 0, RawClient.TEXT, new byte[] {'a', e[0]}, true);
            client.sendFrame(false, 0, RawClient.CONTINUATION, new byte[] {e[1]}, true);
            client.sendFrame(true, 0, RawClient.CONTINUATION, new byte[] {'b'}, true);
            Frame echo = client.readFrame();
            assertEquals("Echo: aéb", echo.text());
        }
    }

    @Test
    void anUnmaskedFrameCloses1002() throws Exception {
        assertEquals(1002, violate("unmasked", c -> c.sendFrame(true, 0, RawClient.TEXT, "hi".getBytes(), false)).closeCode());
        expectScriptSaw("unmasked", 1002);
    }

    @Test
    void aReservedOpcodeCloses1002() throws Exception {
        assertEquals(1002, violate("opcode", c -> c.sendFrame(true, 0, 0x3, new byte[0], true)).closeCode());
        assertEquals(1002, violate("opcode-control", c -> c.sendFrame(true, 0, 0xB, new byte[0], true)).closeCode());
    }

    @Test
    void anRsvBitWithoutAnExtensionCloses1002() throws Exception {
        assertEquals(1002, violate("rsv", c -> c.sendFrame(true, 4, RawClient.TEXT, "hi".getBytes(), true)).closeCode());
    }

    @Test
    void aFragmentedControlFrameCloses1002() throws Exception {
        assertEquals(1002, violate("fragmented-ping", c -> c.sendFrame(false, 0, RawClient.PING, new byte[0], true)).closeCode());
    }

    @Test
    void anOversizedControlFrameCloses1002() throws Exception {
        assertEquals(1002, violate("big-ping", c -> c.sendFrame(true, 0, RawClient.PING, new byte[126], true)).closeCode());
    }

    @Test
    void aContinuationWithoutAStartCloses1002() throws Exception {
        assertEquals(1002, violate("orphan", c -> c.sendFrame(true, 0, RawClient.CONTINUATION, new byte[] {1}, true)).closeCode());
    }

    @Test
    void aMessageOverTheZoneLimitCloses1009() throws Exception {
        Frame close = violate("too-big", c -> c.sendFrame(true, 0, RawClient.BINARY, new byte[(1 << 20) + 1], true));
        assertEquals(1009, close.closeCode());
        assertEquals("Message is too large", close.closeReason());
        expectScriptSaw("too-big", 1009);
    }

    @Test
    void aFragmentedMessageOverTheZoneLimitCloses1009() throws Exception {
        Frame close = violate("too-big-fragments", c -> {
            c.sendFrame(false, 0, RawClient.BINARY, new byte[1 << 19], true);
            c.sendFrame(false, 0, RawClient.CONTINUATION, new byte[1 << 19], true);
            c.sendFrame(true, 0, RawClient.CONTINUATION, new byte[1], true);
        });
        assertEquals(1009, close.closeCode());
        assertEquals("Message is too large", close.closeReason());
    }

    @Test
    void pingsAreAnsweredWithPongs() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/echo")) {
            client.sendFrame(true, 0, RawClient.PING, "abc".getBytes(), true);
            Frame pong = client.readFrame();
            assertEquals(RawClient.PONG, pong.opcode());
            assertEquals("abc", pong.text());
        }
    }

    @Test
    void invalidUtf8FailsAtTheFirstBadByteNotAtTheEndOfTheFrame() throws Exception {
        // A 100-byte text frame whose 6th byte is invalid; only its first 10 bytes are sent (Autobahn 6.4.3).
        byte[] payload = new byte[100];
        java.util.Arrays.fill(payload, (byte) 'a');
        payload[5] = (byte) 0xFF;
        byte[] frame = RawClient.frame(true, 0, RawClient.TEXT, payload, true);
        Frame close = violate("fail-fast", c -> c.sendRaw(java.util.Arrays.copyOf(frame, 2 + 4 + 10)));
        assertEquals(1007, close.closeCode(), "closed while the frame is still incomplete");
        expectScriptSaw("fail-fast", 1007);
    }

    @Test
    void aCloseFrameWithAOneBytePayloadCloses1002() throws Exception {
        assertEquals(1002, violate("close-1-byte", c -> c.sendFrame(true, 0, RawClient.CLOSE, new byte[] {3}, true)).closeCode());
    }

    @Test
    void aCloseCodeAnEndpointMayNotSendCloses1002() throws Exception {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            Frame close = violate("bad-code-" + code, c -> c.sendClose(code, ""));
            assertEquals(1002, close.closeCode(), "the client's close code " + code + " is refused, not echoed");
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8Closes1007() throws Exception {
        Frame close = violate("bad-reason", c -> c.sendFrame(true, 0, RawClient.CLOSE,
                new byte[] {0x03, (byte) 0xE8, 'o', 'k', (byte) 0xC0, (byte) 0x80}, true));
        assertEquals(1007, close.closeCode());
    }

    @Test
    void aPingOf125BytesIsAnsweredInFull() throws Exception {
        byte[] payload = new byte[125];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (RawClient client = RawClient.handshake(base, "/echo")) {
            client.sendFrame(true, 0, RawClient.PING, payload, true);
            Frame pong = client.readFrame();
            assertEquals(RawClient.PONG, pong.opcode());
            org.junit.jupiter.api.Assertions.assertArrayEquals(payload, pong.payload());
        }
    }

    /**
     * RFC 6455 5.5.3: an endpoint may answer only the most recent ping. Pongs owed coalesce, so a ping flood holds one
     * pong, not one per ping: the answers come in order, the last ping is always answered, and nothing follows it.
     */
    @Test
    void aBurstOfAThousandPingsIsAnsweredInOrderEndingWithTheLatest() throws Exception {
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            burst.writeBytes(RawClient.frame(true, 0, RawClient.PING, ("ping " + i).getBytes(StandardCharsets.UTF_8), true));
        }
        try (RawClient client = RawClient.handshake(base, "/lab-loop")) {
            client.sendRaw(burst.toByteArray());
            int last = -1;
            int pongs = 0;
            while (last < 999) {
                Frame pong = client.readFrame();
                assertEquals(RawClient.PONG, pong.opcode());
                int n = Integer.parseInt(pong.text().substring("ping ".length()));
                org.junit.jupiter.api.Assertions.assertTrue(n > last, "pongs in order: " + n + " after " + last);
                last = n;
                pongs++;
            }
            org.junit.jupiter.api.Assertions.assertTrue(pongs <= 1000, "at most one pong per ping");
            client.setReadTimeout(300);
            org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class, client::readFrame,
                    "nothing follows the answer to the latest ping");
        }
    }
}
