package dev.edgesocket.origin;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.MessageEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * A Pull Zone's socket: the client's socket (ours, with every bound, heartbeat and meter of the zone) joined to the
 * origin's, message by message, in order, both ways.
 * <ul>
 * <li>Back-pressure end to end: a client that reads slowly pauses reading from the origin until its socket drains; an
 * origin that reads slowly pauses reading from the client until the origin's socket drains.
 * <li>Closes pass both ways with their code and reason. A close the server starts (a kick, the drain, a heartbeat
 * timeout) gives the origin 1001. An origin that drops the connection without a close frame, sends garbage, a message
 * past the zone's {@code max-message-size} (it gets 1009) or stops answering pings gives the client 1014.
 * <li>The origin is pinged every {@code pingEvery}; a ping still unanswered at the next one means the origin is gone.
 * </ul>
 * Everything runs on the client connection's event loop, where the origin's socket was opened too: the client
 * socket's events are brought there in a zone whose listeners run on workers (a middleware zone with
 * {@code dispatch=worker}).
 */
public final class WebSocketRelay {

    private static final Logger LOG = Logger.getLogger(WebSocketRelay.class);
    private static final Buffer PING = Buffer.buffer("edgesocket");

    /** What the relay needs of the client's socket beyond the script API: its reading, and who began its close. */
    public interface ClientReads {
        void pause();

        void resume();

        /** True when the client sent the first close frame (its code goes to the origin), false when the server did. */
        boolean clientStartedClose();
    }

    private final dev.edgesocket.api.WebSocket client;
    private final ClientReads reads;
    private final WebSocket origin;
    private final Vertx vertx;
    private final OriginMeters.ForZone meters;
    private final String originUrl;
    private boolean originClosed;
    private boolean clientClosed;
    private boolean awaitingPong;
    private String originProblem; // why the origin failed, for the client's 1014
    private long pinger = -1;
    private boolean pausedByUs; // the origin is paused for a slow client: its pongs wait unread, no ping is judged
    private final io.vertx.core.Context loop = Vertx.currentContext();
    private final Thread loopThread = Thread.currentThread();

    private WebSocketRelay(dev.edgesocket.api.WebSocket client, ClientReads reads, WebSocket origin, Vertx vertx,
            OriginMeters.ForZone meters, String originUrl) {
        this.client = client;
        this.reads = reads;
        this.origin = origin;
        this.vertx = vertx;
        this.meters = meters;
        this.originUrl = originUrl;
    }

    /**
     * Joins the two sockets; call before the client's socket opens (the origin's stays paused until then).
     * {@code pingEvery} is the zone's idle timeout (none when zero).
     */
    public static void join(dev.edgesocket.api.WebSocket client, ClientReads reads, WebSocket origin, Vertx vertx,
            Duration pingEvery, OriginMeters.ForZone meters, String originUrl) {
        new WebSocketRelay(client, reads, origin, vertx, meters, originUrl).start(pingEvery);
    }

    /** Runs on the relay's event loop: at once when already there, else queued there in order. */
    private void onLoop(Runnable task) {
        if (Thread.currentThread() == loopThread) {
            task.run();
        } else {
            loop.runOnContext(v -> task.run());
        }
    }

    private void start(Duration pingEvery) {
        client.addEventListener(EventType.OPEN, event -> onLoop(() -> {
            origin.resume();
            if (!pingEvery.isZero() && !originClosed) {
                pinger = vertx.setPeriodic(pingEvery.toMillis(), id -> ping());
            }
        }));
        client.addEventListener(EventType.MESSAGE, message -> onLoop(() -> toOrigin(message)));
        client.addEventListener(EventType.DRAIN, event -> onLoop(() -> {
            if (!originClosed) {
                pausedByUs = false;
                awaitingPong = false; // a pong may have waited unread meanwhile
                origin.resume(); // the client caught up
            }
        }));
        client.addEventListener(EventType.CLOSE, event -> onLoop(() -> clientClosed(event)));
        origin.textMessageHandler(text -> {
            client.send(text);
            throttleOrigin();
        });
        origin.binaryMessageHandler(bytes -> {
            client.send(bytes.getBytes());
            throttleOrigin();
        });
        origin.pongHandler(pong -> awaitingPong = false);
        origin.exceptionHandler(this::originFailed);
        origin.closeHandler(v -> originClosed());
    }

    private void toOrigin(MessageEvent message) {
        if (originClosed) {
            return;
        }
        if (message.isText()) {
            origin.writeTextMessage(message.text());
        } else {
            origin.writeBinaryMessage(Buffer.buffer(message.bytes()));
        }
        if (origin.writeQueueFull()) {
            reads.pause(); // the origin reads slowly: so do we, from the client
            origin.drainHandler(v -> reads.resume());
        }
    }

    private void throttleOrigin() {
        if (client.writeQueueFull()) {
            pausedByUs = true;
            origin.pause(); // the client reads slowly: so do we, from the origin, until its "drain"
        }
    }

    private void ping() {
        if (originClosed || pausedByUs) {
            return;
        }
        if (awaitingPong) {
            originProblem = "The origin stopped answering pings.";
            meters.failed(OriginFailure.Cause.DROPPED);
            origin.close((short) 1001, "No pong");
            closeClient(1014, originProblem);
            return;
        }
        awaitingPong = true;
        origin.writePing(PING);
    }

    private void originFailed(Throwable failure) {
        reads.resume(); // the client's close reply must be read
        String message = String.valueOf(failure.getMessage());
        if (message.contains("Connection was closed")) {
            return; // the close handler tells how it ended
        }
        if (message.contains("max message size") || message.contains("exceeds") || message.contains("Max frame length")) {
            originProblem = "The origin sent a message larger than the zone's max-message-size.";
            if (!originClosed) {
                origin.close((short) 1009, "Message too big");
            }
        } else if (originProblem == null) {
            originProblem = "The origin broke the WebSocket protocol: " + message;
            meters.failed(OriginFailure.Cause.BAD_RESPONSE);
        }
        LOG.debugf("The WebSocket of origin %s failed: %s", originUrl, message);
        closeClient(1014, originProblem);
    }

    private void originClosed() {
        originClosed = true;
        reads.resume(); // reading may have paused for the origin; the client's close reply must be read
        stopPinging();
        if (clientClosed) {
            return;
        }
        Short code = origin.closeStatusCode();
        if (originProblem != null) {
            closeClient(1014, originProblem);
        } else if (code == null || code == 1006) {
            meters.failed(OriginFailure.Cause.DROPPED);
            closeClient(1014, "The origin closed the connection without a close frame.");
        } else if (code == 1005) {
            closeClient(1000, "");
        } else if (sendable(code)) {
            closeClient(code, origin.closeReason() == null ? "" : origin.closeReason());
        } else {
            closeClient(1014, "The origin closed with code " + code + ".");
        }
    }

    private void clientClosed(CloseEvent event) {
        clientClosed = true;
        stopPinging();
        if (originClosed) {
            return;
        }
        originClosed = true;
        if (reads.clientStartedClose() && sendable(event.code())) {
            origin.close((short) event.code(), event.reason());
        } else {
            origin.close((short) 1001, "Going away"); // a kick, the drain, a timeout, or a client that vanished
        }
    }

    private void closeClient(int code, String reason) {
        if (clientClosed) {
            return;
        }
        try {
            client.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
        } catch (IllegalArgumentException e) {
            client.close(1014, "The origin closed the socket.");
        }
    }

    private void stopPinging() {
        if (pinger >= 0) {
            vertx.cancelTimer(pinger);
            pinger = -1;
        }
    }

    /** Codes an endpoint may send in a close frame (RFC 6455 7.4). */
    static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
