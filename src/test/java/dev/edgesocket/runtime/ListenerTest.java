package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** addEventListener semantics and the threading model, seen from a real client. */
@QuarkusTest
class ListenerTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    @Test
    void aOnceListenerRunsOnce() {
        try (WsClient client = WsClient.connect(base, "/lab?once=1")) {
            client.send("a");
            client.expectText("once: a");
            client.expectText("Echo: a");
            client.send("b");
            client.expectText("Echo: b");
            client.expectNothingFor(300);
        }
    }

    @Test
    void removeEventListenerStopsAListener() {
        try (WsClient client = WsClient.connect(base, "/lab?extra=1")) {
            client.send("a");
            client.expectText("extra: a");
            client.expectText("Echo: a");
            client.send("remove-extra");
            client.expectText("extra: remove-extra");
            client.expectText("removed");
            client.send("b");
            client.expectText("Echo: b");
            client.expectNothingFor(300);
        }
    }

    @Test
    void aThrowingListenerLeavesTheSocketAndTheOtherListenersWorking() {
        try (WsClient client = WsClient.connect(base, "/lab?throwing=1&tag=throwing")) {
            journal.next("throwing"); // early send
            journal.next("throwing"); // open
            client.send("a");
            assertEquals("throwing listener ran on a", journal.next("throwing"), "the throwing listener really ran");
            client.expectText("Echo: a");
            client.send("b");
            assertEquals("throwing listener ran on b", journal.next("throwing"));
            client.expectText("Echo: b");
        }
    }

    @Test
    void anUnknownEventTypeThrows() {
        try (WsClient client = WsClient.connect(base, "/lab")) {
            client.send("bad-type");
            client.expectText("rejected: Unknown event type 'bogus': a WebSocket dispatches \"open\", \"message\", \"close\", \"error\" and \"drain\".");
        }
    }

    @Test
    void aBlockingListenerDoesNotStallOtherSockets() {
        try (WsClient blocked = WsClient.connect(base, "/lab?tag=blocker");
                WsClient other = WsClient.connect(base, "/lab")) {
            journal.next("blocker"); // early send
            journal.next("blocker"); // open
            blocked.send("block");
            assertEquals("blocking", journal.next("blocker"));
            // The first socket's listener is parked on the gate; the second one must still be served.
            other.send("still here");
            other.expectText("Echo: still here");
            journal.gate("blocker").countDown();
            blocked.expectText("unblocked");
        }
    }

    @Test
    void workerZonesRunListenersOffTheEventLoopAndEventLoopZonesOnIt() {
        try (WsClient worker = WsClient.connect(base, "/lab");
                WsClient loop = WsClient.connect(base, "/lab-loop")) {
            worker.send("thread");
            String workerThread = worker.nextText();
            assertTrue(workerThread.startsWith("edgesocket-worker-"), workerThread);
            loop.send("thread");
            String loopThread = loop.nextText();
            assertTrue(loopThread.startsWith("vert.x-eventloop-thread-"), loopThread);
            loop.send("hello");
            loop.expectText("Echo: hello");
        }
    }
}
