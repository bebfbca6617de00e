package dev.edgesocket.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pings, pong deadlines and the data-idle close, with a raw TCP client that decides whether to
 * answer. The zone {@code /hb} has idle-timeout 2s and max-idle 3s. Bounds on times are loose on
 * purpose: they check the semantics (a ping at about idleTimeout/2), not speed.
 */
@QuarkusTest
class HeartbeatTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    @Inject
    HeartbeatScheduler heartbeats;

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Test
    void aClientThatNeverAnswersPingsIsPingedThenDropped() throws Exception {
        long start = System.nanoTime();
        try (RawClient client = RawClient.handshake(base, "/hb?tag=deaf")) {
            Frame ping = client.readFrame();
            double pingAt = secondsSince(start);
            assertEquals(RawClient.PING, ping.opcode());
            assertTrue(pingAt >= 0.9 && pingAt < 1.9, "the ping comes after about idleTimeout/2 = 1 s, came at " + pingAt);
            Frame close = client.readFrame();
            double closeAt = secondsSince(start);
            assertEquals(RawClient.CLOSE, close.opcode());
            assertEquals(1001, close.closeCode());
            assertEquals("No response from ping frame.", close.closeReason());
            assertTrue(closeAt >= 1.9 && closeAt < 3.5, "disconnected after about 2 s, was " + closeAt);
            assertTrue(client.awaitEndOfStream(1000), "the server releases the TCP connection at once");
        }
        journal.next("deaf"); // early send
        journal.next("deaf"); // open
        assertTrue(journal.next("deaf").startsWith("error No pong arrived within"));
        assertEquals("close 1001 No response from ping frame. false CLOSED", journal.next("deaf"));
    }

    /** Answers every ping until the server closes; returns the close frame and counts pings. */
    private static Frame answerPingsUntilClose(RawClient client, int[] pings) throws IOException {
        for (;;) {
            Frame frame = client.readFrame();
            if (frame.opcode() == RawClient.PING) {
                pings[0]++;
                client.sendFrame(true, 0, RawClient.PONG, frame.payload(), true);
            } else if (frame.opcode() == RawClient.CLOSE) {
                return frame;
            }
        }
    }

    @Test
    void aClientThatAnswersPingsButSendsNoDataIsClosedAtMaxIdle() throws Exception {
        long start = System.nanoTime();
        try (RawClient client = RawClient.handshake(base, "/hb?tag=quiet")) {
            int[] pings = {0};
            Frame close = answerPingsUntilClose(client, pings);
            double closeAt = secondsSince(start);
            assertTrue(pings[0] >= 2, "it lived through pings past the idle timeout; pings: " + pings[0]);
            assertTrue(closeAt >= 2.9 && closeAt < 4.5, "closed at max-idle (3 s), was " + closeAt);
            assertEquals(1001, close.closeCode());
            assertEquals("No message received for 3 seconds", close.closeReason());
            client.sendClose(1001, "");
            assertTrue(client.awaitEndOfStream(2000));
        }
        journal.next("quiet");
        journal.next("quiet");
        assertEquals("close 1001  true CLOSED", journal.next("quiet"));
    }

    @Test
    void aClientSendingDataRegularlyStaysOpenPastBothLimits() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/hb")) {
            client.setReadTimeout(2000);
            long start = System.nanoTime();
            int n = 0;
            while (secondsSince(start) < 5.0) {
                client.sendText("tick " + n);
                Frame frame = client.readFrame();
                while (frame.opcode() == RawClient.PING) {
                    frame = client.readFrame(); // not answered on purpose: data alone keeps it alive
                }
                assertEquals("Echo: tick " + n, frame.text());
                n++;
                Thread.sleep(300);
            }
            client.sendText("still open");
            Frame frame = client.readFrame();
            while (frame.opcode() == RawClient.PING) {
                frame = client.readFrame();
            }
            assertEquals("Echo: still open", frame.text());
        }
    }

    @Test
    void theScriptsIdleTimeoutOverridesTheZoneDefault() throws Exception {
        long start = System.nanoTime();
        try (RawClient client = RawClient.handshake(base, "/hb?idle=4")) {
            Frame ping = client.readFrame();
            double pingAt = secondsSince(start);
            assertEquals(RawClient.PING, ping.opcode());
            assertTrue(pingAt >= 1.9 && pingAt < 2.9, "idleTimeout 4 pings after about 2 s, not 1 s; was " + pingAt);
        }
    }

    @Test
    void idleTimeoutZeroMeansNoPingsButMaxIdleStillApplies() throws Exception {
        long start = System.nanoTime();
        try (RawClient client = RawClient.handshake(base, "/hb?idle=0")) {
            Frame first = client.readFrame();
            double at = secondsSince(start);
            assertEquals(RawClient.CLOSE, first.opcode(), "no ping comes before the max-idle close");
            assertEquals(1001, first.closeCode());
            assertTrue(at >= 2.9, "closed by max-idle at about 3 s, was " + at);
        }
    }

    @Test
    void openSocketsWaitInTheWheelAndClosedOnesLeaveIt() throws Exception {
        // /echo has the default idle-timeout (30 s): its first check is 15 s away, so it waits in the wheel.
        int before = heartbeats.watched();
        java.util.List<RawClient> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(RawClient.handshake(base, "/echo"));
        }
        awaitWatched(before + 50);
        for (RawClient client : clients) {
            client.sendClose(1000, "");
            client.readUntilClose();
            client.close();
        }
        awaitWatched(before);
        assertEquals(before, heartbeats.watched(), "no closed socket stays in the heartbeat wheel");
    }

    private void awaitWatched(int expected) throws InterruptedException {
        Eventually.last(Eventually.DEFAULT, Duration.ofMillis(20), heartbeats::watched, n -> n == expected);
        assertEquals(expected, heartbeats.watched());
    }

    @Test
    void withNoLimitsASilentSocketOutlivesTheHttpIdleTimeout() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/quiet")) {
            client.setReadTimeout(4500);
            try {
                RawClient.Frame frame = client.readFrame();
                throw new AssertionError("nothing should arrive on a quiet socket, got opcode " + frame.opcode());
            } catch (SocketTimeoutException expected) {
                // 4.5 s of silence, past quarkus.http.idle-timeout=3s
            }
            client.setReadTimeout(5000);
            client.sendText("still there");
            assertEquals("Echo: still there", client.readFrame().text());
        }
    }

    @Test
    void theTickKeepsTurning() throws Exception {
        long before = heartbeats.ticks();
        try {
            Thread.sleep(2500);
        } catch (InterruptedException e) {
            throw new SocketTimeoutException();
        }
        assertTrue(heartbeats.ticks() > before, "the scheduler ticks every second");
    }

    @Test
    void aSubSecondIdleTimeoutKeepsItsMilliseconds() throws Exception {
        // /hb-ms has idle-timeout=500ms: a ping after about 250 ms, a close 250 ms later (it was cut to 0: no pings).
        long start = System.nanoTime();
        try (RawClient client = RawClient.handshake(base, "/hb-ms")) {
            Frame ping = client.readFrame();
            assertEquals(RawClient.PING, ping.opcode());
            Frame close = client.readFrame();
            double closeAt = secondsSince(start);
            assertEquals(1001, close.closeCode());
            assertTrue(closeAt < 1.5, "a 500 ms idle timeout closed after " + closeAt + " s");
        }
    }
}
