package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Close codes, reasons and wasClean, as both the client and the script see them. */
@QuarkusTest
class CloseTest {

    private static final String EARLY_SEND =
            "early send threw: The socket is still connecting: send once the \"open\" event has fired.";

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    private void expectOpened(String tag) {
        assertEquals(EARLY_SEND, journal.next(tag));
        assertEquals("open OPEN", journal.next(tag));
    }

    @Test
    void aClientsCloseCodeAndReasonReachTheScriptAsAClean1Close() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=client-close")) {
            expectOpened("client-close");
            client.sendClose(4321, "bye-now");
            Frame reply = client.readUntilClose();
            assertEquals(4321, reply.closeCode());
            assertTrue(client.awaitEndOfStream(5000), "the server drops the connection after the handshake");
        }
        assertEquals("close 4321 bye-now true CLOSED", journal.next("client-close"));
    }

    @Test
    void aCloseFrameWithoutACodeIsReportedAs1005() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=no-code")) {
            expectOpened("no-code");
            client.sendFrame(true, 0, RawClient.CLOSE, new byte[0], true);
            Frame reply = client.readUntilClose();
            assertEquals(0, reply.payload().length, "an empty close is answered with an empty close");
        }
        assertEquals("close 1005  true CLOSED", journal.next("no-code"));
    }

    @Test
    void aScriptsCloseReachesTheClientAfterWhatWasSentBefore() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=script-close")) {
            expectOpened("script-close");
            client.sendText("close 4000 done");
            Frame first = client.readFrame();
            assertEquals(RawClient.TEXT, first.opcode());
            assertEquals("closing", first.text());
            Frame close = client.readFrame();
            assertEquals(RawClient.CLOSE, close.opcode());
            assertEquals(4000, close.closeCode());
            assertEquals("done", close.closeReason());
            client.sendClose(4000, "done");
            assertTrue(client.awaitEndOfStream(5000));
        }
        assertEquals("close 4000 done true CLOSED", journal.next("script-close"));
    }

    @Test
    void theJavaClientSeesTheScriptsCodeToo() {
        try (WsClient client = WsClient.connect(base, "/lab")) {
            client.send("close 4000 done");
            client.expectText("closing");
            assertEquals(new WsClient.Closed(4000, "done"), client.awaitClose());
        }
    }

    @Test
    void closingTwiceIsHarmlessAndTheFirstCloseWins() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=double")) {
            expectOpened("double");
            client.sendText("double-close");
            Frame close = client.readUntilClose();
            assertEquals(4000, close.closeCode());
            assertEquals("first", close.closeReason());
            client.sendClose(4000, "first");
        }
        assertEquals("close 4000 first true CLOSED", journal.next("double"));
    }

    @Test
    void codesAnEndpointMayNotSendAndLongReasonsThrow() {
        try (WsClient client = WsClient.connect(base, "/lab")) {
            for (int code : new int[] {999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
                client.send("try-close " + code);
                client.expectText("rejected: Close code " + code
                        + " cannot be sent: use 1000-1003, 1007-1014 or 3000-4999 (RFC 6455, section 7.4).");
            }
            client.send("try-close 4000 " + "é".repeat(62));
            client.expectText("rejected: A close reason may be at most 123 bytes of UTF-8, got 124.");
            String longest = "x".repeat(123);
            client.send("try-close 4999 " + longest);
            assertEquals(new WsClient.Closed(4999, longest), client.awaitClose());
        }
    }

    @Test
    void aLostConnectionGivesErrorThenClose1006() throws Exception {
        RawClient client = RawClient.handshake(base, "/lab?tag=lost");
        expectOpened("lost");
        client.close();
        assertEquals("error The connection was lost without a close frame.", journal.next("lost"));
        assertEquals("close 1006  false CLOSED", journal.next("lost"));
    }

    @Test
    void aClientThatLeavesBeforeTheHandshakeCompletesStillClosesTheSocket() throws Exception {
        try (RawClient client = RawClient.open(base)) {
            java.util.Map<String, String> headers = RawClient.validHandshakeHeaders(base);
            StringBuilder head = new StringBuilder("GET /lab?tag=gone&respond=slow HTTP/1.1\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            client.sendRaw(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } // closed while the script still works on the upgrade
        assertEquals(EARLY_SEND, journal.next("gone"));
        assertEquals("error The connection ended before the WebSocket handshake completed.", journal.next("gone"));
        assertEquals("close 1006  false CLOSED", journal.next("gone"));
    }

    @Test
    void aSocketClosedBeforeItOpenedNeverFiresOpen() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/lab?tag=early&respond=close-early")) {
            assertEquals(EARLY_SEND, journal.next("early"));
            Frame close = client.readUntilClose();
            assertEquals(4002, close.closeCode());
            assertEquals("closed before open", close.closeReason());
            client.sendClose(4002, "closed before open");
            assertTrue(client.awaitEndOfStream(5000));
        }
        assertEquals("close 4002 closed before open true CLOSED", journal.next("early"));
    }

    @Test
    void aCloseDuringConnectingThatRacesTheHandshakeKeepsItsCode() throws Exception {
        for (int i = 0; i < 100; i++) {
            try (RawClient client = RawClient.handshake(base, "/lab?respond=close-race&tag=race")) {
                Frame close = client.readUntilClose();
                assertEquals(4003, close.closeCode(), "run " + i + ": the script's code, not 1000");
                assertEquals("raced", close.closeReason());
            }
        }
    }
}
