package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Back-pressure both ways: a slow listener pauses reading without costing the client its life; a script paces its sends. */
@QuarkusTest
class BackPressureTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    /**
     * The reproduction: idle-timeout 2 s (and max-idle 3 s) on /hb, a listener that takes 300 ms a
     * message, 40 messages of 64 KiB. More than 1 MiB waits for the listener, so the server stops reading
     * for about 5 s; the client answers every ping at once, and must not be closed as dead or idle.
     */
    @Test
    void aSlowListenerDoesNotGetAHealthyClientKilled() {
        try (WsClient client = WsClient.connect(base, "/hb?sleep=300")) {
            byte[] message = new byte[64 * 1024];
            for (int i = 0; i < 40; i++) {
                message[0] = (byte) i;
                client.send(message.clone());
            }
            for (int i = 0; i < 40; i++) {
                byte[] echo = client.nextBinary();
                assertEquals(64 * 1024, echo.length);
                assertEquals((byte) i, echo[0], "the echoes come in order");
            }
            assertFalse(client.isClosed(), "the socket is still open after all 40 messages");
            client.send("still here");
            client.expectText("Echo: still here");
        }
    }

    /**
     * A script that sends 8 MiB to a client that reads nothing for a second, pausing on writeQueueFull()
     * and resuming on "drain", delivers everything; the zone's 256 KiB max-buffered-amount is never passed.
     */
    @Test
    void aScriptThatWaitsForDrainDeliversEverythingToASlowReader() throws Exception {
        long total = 8L * 1024 * 1024;
        try (RawClient client = RawClient.handshake(base, "/small?tag=pump")) {
            journal.next("pump"); // early send
            journal.next("pump"); // open
            client.sendText("pump " + total);
            Thread.sleep(1000); // not reading: the server's queue fills, the script waits
            long received = 0;
            for (;;) {
                Frame frame = client.readFrame();
                assertTrue(frame.opcode() != RawClient.CLOSE, "the socket was closed: " + frame.closeCode() + " " + frame.closeReason());
                if (frame.opcode() == RawClient.BINARY) {
                    received += frame.payload().length;
                } else if (frame.opcode() == RawClient.TEXT) {
                    assertEquals("pumped " + total, frame.text());
                    break;
                }
            }
            assertEquals(total, received);
            assertTrue(journal.next("pump").startsWith("drain at "), "the script was told when the queue drained");
        }
    }
}
