package dev.edgesocket.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Blob;
import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.ErrorEvent;
import dev.edgesocket.api.Event;
import dev.edgesocket.api.EventListener;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.ListenerOptions;
import dev.edgesocket.api.MessageEvent;
import dev.edgesocket.api.OpenEvent;
import dev.edgesocket.api.ReadyState;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.heartbeat.Liveness;
import dev.edgesocket.heartbeat.Monitored;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.zone.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSocket;
import dev.edgesocket.zone.ZoneSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The socket a script drives. Created in {@code CONNECTING} by {@code upgradeWebSocket}, bound to the
 * connection's channel when the Jakarta handshake completes, closed exactly once.
 * <p>
 * Threading: {@code send}, {@code close} and the listener methods may be called from any thread.
 * Everything the connection reports (frames, errors, the end of the connection) arrives on the
 * channel's event loop, so the close bookkeeping below is confined to that thread; only
 * {@link #state} and {@link #bufferedAmount} are shared.
 */
public final class EdgeWebSocket implements WebSocket, Monitored, ZoneSocket {

    private static final Logger LOG = Logger.getLogger(EdgeWebSocket.class);

    private static final AtomicReferenceFieldUpdater<EdgeWebSocket, ReadyState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(EdgeWebSocket.class, ReadyState.class, "state");
    private static final AtomicLongFieldUpdater<EdgeWebSocket> BUFFERED =
            AtomicLongFieldUpdater.newUpdater(EdgeWebSocket.class, "bufferedAmount");
    private static final AtomicLongFieldUpdater<EdgeWebSocket> INBOUND =
            AtomicLongFieldUpdater.newUpdater(EdgeWebSocket.class, "inboundQueued");
    private static final AtomicLongFieldUpdater<EdgeWebSocket> MESSAGES_OUT =
            AtomicLongFieldUpdater.newUpdater(EdgeWebSocket.class, "messagesOut");
    private static final AtomicLongFieldUpdater<EdgeWebSocket> BYTES_OUT =
            AtomicLongFieldUpdater.newUpdater(EdgeWebSocket.class, "bytesOut");

    /** Inbound bytes queued for listeners beyond which the socket stops reading from the network. */
    private static final long INBOUND_HIGH_WATER = 1 << 20;
    private static final long INBOUND_LOW_WATER = INBOUND_HIGH_WATER / 4;
    /** How long a connection failed for a protocol error may drain the client's last bytes before it is closed. */
    private static final long LINGER_MILLIS = 2000;

    private final long sequence;
    private final String id;
    private final String remoteAddress;
    private final Zone zone;
    private final ZoneSettings settings;
    private final String url;
    private final String protocol;
    private final int idleTimeoutSeconds;
    private final SocketRuntime runtime;
    private final ListenerSet listeners = new ListenerSet();
    private final ZoneMetrics metrics;
    private long openedAtNanos;

    private volatile ReadyState state = ReadyState.CONNECTING;
    private volatile long bufferedAmount;
    private volatile long inboundQueued;
    private volatile long messagesOut;
    private volatile long bytesOut;
    // Written on the event loop only.
    private volatile long messagesIn;
    private volatile long bytesIn;
    private volatile long connectedAtMillis;
    private volatile long lastDataAtMillis;
    // The zone place this socket holds (see Zone#tryTakePlace), given back exactly once.
    private final java.util.concurrent.atomic.AtomicBoolean holdsPlace = new java.util.concurrent.atomic.AtomicBoolean();
    /** A close the script asked for while connecting; sent by bind() instead of firing "open". */
    private record RequestedClose(int code, String reason) {
    }

    private volatile RequestedClose requestedClose;

    // Set once by bind(), on the event loop, before any event is raised.
    private Channel channel;
    private EventExecutor events;
    private volatile Liveness liveness;
    private final String origin;

    // Write batching during a read, confined to the event loop.
    private boolean reading;
    private boolean flushPending;

    // Close bookkeeping, confined to the event loop.
    private boolean closeFrameSent;
    private boolean closeFrameReceived;
    private int receivedCode = CloseCodes.NO_STATUS;
    private String receivedReason = "";
    private boolean failed;
    private int failureCode;
    private String failureReason;
    private boolean closeEventRaised;
    private ScheduledFuture<?> closeTimer;

    EdgeWebSocket(long sequence, Zone zone, ZoneSettings settings, String url, String origin, String protocol,
            int idleTimeoutSeconds, String remoteAddress, SocketRuntime runtime) {
        this.origin = origin;
        this.metrics = runtime.metrics(zone);
        this.sequence = sequence;
        this.id = zone.name() + "-" + sequence;
        this.remoteAddress = remoteAddress;
        this.zone = zone;
        this.settings = settings;
        this.url = url;
        this.protocol = protocol;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.runtime = runtime;
    }

    // ---------------------------------------------------------------- the script's side

    @Override
    public void send(String data) {
        if (sendable()) {
            ByteBuf payload = ByteBufUtil.writeUtf8(channel.alloc(), data);
            write(new TextWebSocketFrame(payload), payload.readableBytes(), true);
        }
    }

    @Override
    public void send(byte[] data) {
        send(data, 0, data.length);
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length
                    + " do not fit an array of " + data.length + " bytes.");
        }
        if (sendable()) {
            // Copied now: the caller may reuse its array as soon as send returns, as in a browser.
            ByteBuf payload = channel.alloc().buffer(length).writeBytes(data, offset, length);
            write(new BinaryWebSocketFrame(payload), length, false);
        }
    }

    @Override
    public void send(ByteBuffer data) {
        if (sendable()) {
            int length = data.remaining();
            ByteBuf payload = channel.alloc().buffer(length).writeBytes(data.duplicate());
            write(new BinaryWebSocketFrame(payload), length, false);
        }
    }

    @Override
    public void send(Blob data) {
        send(data.bytes());
    }

    private boolean sendable() {
        ReadyState s = state;
        if (s == ReadyState.CONNECTING) {
            throw new IllegalStateException("The socket is still connecting: send once the \"open\" event has fired.");
        }
        // After close() a browser drops what is sent; so do we.
        return s == ReadyState.OPEN;
    }

    private void write(WebSocketFrame frame, int size, boolean text) {
        long queued = BUFFERED.addAndGet(this, size);
        if (queued > settings.maxBufferedAmount()) {
            BUFFERED.addAndGet(this, -size);
            frame.release();
            failFromAnyThread(CloseCodes.POLICY_VIOLATION, "Send buffer full: the client is not reading",
                    "bufferedAmount passed the zone's max-buffered-amount of " + settings.maxBufferedAmount()
                            + " bytes because the client does not read its messages.");
            return;
        }
        MESSAGES_OUT.incrementAndGet(this);
        BYTES_OUT.addAndGet(this, size);
        metrics.messageOut(text, size);
        if (channel.eventLoop().inEventLoop()) {
            writeOnEventLoop(frame, size, false);
        } else {
            // Netty would hop to the event loop anyway; hopping ourselves lets us check, in order with
            // the close frame, that no data frame ever follows it (RFC 6455 5.5.1).
            channel.eventLoop().execute(() -> writeOnEventLoop(frame, size, true));
        }
    }

    private void writeOnEventLoop(WebSocketFrame frame, int size, boolean fromWorker) {
        if (closeFrameSent) {
            frame.release();
            BUFFERED.addAndGet(this, -size);
            return;
        }
        if (reading) {
            // Sent by a listener while the connection's read is in progress: flushed once when the read
            // completes, so the replies to a burst of messages leave in one write, not one each.
            channel.write(frame).addListener(new WriteCompletion(size));
            flushPending = true;
        } else if (fromWorker) {
            // Sends from a worker arrive as a run of tasks; one flush task queued behind them sends the run.
            channel.write(frame).addListener(new WriteCompletion(size));
            if (!flushPending) {
                flushPending = true;
                channel.eventLoop().execute(this::flushNow);
            }
        } else {
            channel.writeAndFlush(frame).addListener(new WriteCompletion(size));
        }
    }

    private void flushNow() {
        if (flushPending && !reading) {
            flushPending = false;
            channel.flush();
        }
    }

    /** The connection's read began; on the event loop. */
    void readStarted() {
        reading = true;
    }

    /** The connection's read completed: flush what listeners wrote meanwhile; on the event loop. */
    void readCompleted() {
        reading = false;
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    /** Takes a written (or failed) frame off {@code bufferedAmount}. */
    private final class WriteCompletion implements ChannelFutureListener {
        private final int size;

        WriteCompletion(int size) {
            this.size = size;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            BUFFERED.addAndGet(EdgeWebSocket.this, -size);
        }
    }

    @Override
    public void close() {
        close(CloseCodes.NORMAL, "");
    }

    @Override
    public void close(int code) {
        close(code, "");
    }

    @Override
    public void close(int code, String reason) {
        String why = reason == null ? "" : reason;
        CloseCodes.validate(code, why);
        for (;;) {
            ReadyState s = state;
            if (s == ReadyState.CONNECTING) {
                // bind() sends this close instead of firing "open"; the first caller's close wins.
                if (STATE.compareAndSet(this, s, ReadyState.CLOSING)) {
                    requestedClose = new RequestedClose(code, why);
                    return;
                }
            } else if (s == ReadyState.OPEN) {
                if (STATE.compareAndSet(this, s, ReadyState.CLOSING)) {
                    onEventLoop(() -> startClosingHandshake(code, why));
                    return;
                }
            } else {
                return; // closing twice is harmless
            }
        }
    }

    @Override
    public ReadyState readyState() {
        return state;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public long bufferedAmount() {
        return bufferedAmount;
    }

    @Override
    public String id() {
        return id;
    }

    public Zone zone() {
        return zone;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public SessionInfo info() {
        long rtt = lastPongRoundTripNanos();
        return new SessionInfo(id, remoteAddress, protocol, Instant.ofEpochMilli(connectedAtMillis),
                lastDataAtMillis == 0 ? null : Instant.ofEpochMilli(lastDataAtMillis),
                rtt < 0 ? null : rtt / 1e6, messagesIn, messagesOut, bytesIn, bytesOut, bufferedAmount);
    }

    /** The request filter hands this socket the zone place its upgrade took. */
    void holdPlace() {
        holdsPlace.set(true);
    }

    private void releasePlace() {
        if (holdsPlace.compareAndSet(true, false)) {
            zone.releasePlace();
        }
    }

    /** The connection ended before the handshake completed: the socket never opens. */
    void abandonIfUnbound() {
        if (channel != null || closeEventRaised) { // bind() runs on this same event loop: these reads are current
            return;
        }
        closeEventRaised = true;
        state = ReadyState.CLOSED;
        releasePlace();
        // The script may have put the socket somewhere at upgrade time: tell it, as for a lost connection.
        events = zone.dispatch() == Dispatch.EVENT_LOOP ? Runnable::run : EventExecutor.serialOn(runtime.workers());
        raise(EventType.ERROR, new ErrorEvent("The connection ended before the WebSocket handshake completed.", null, this));
        raise(EventType.CLOSE, new CloseEvent(CloseCodes.ABNORMAL, "", false, this));
        events.execute(listeners::clear);
    }

    @Override
    public <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener) {
        listeners.add(type, listener, false);
    }

    @Override
    public <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener,
            ListenerOptions options) {
        listeners.add(type, listener, options != null && options.once());
    }

    @Override
    public void addEventListener(String type, EventListener<? super Event> listener) {
        listeners.add(EventType.of(type), listener, false);
    }

    @Override
    public void addEventListener(String type, EventListener<? super Event> listener, ListenerOptions options) {
        listeners.add(EventType.of(type), listener, options != null && options.once());
    }

    @Override
    public <E extends Event> void removeEventListener(EventType<E> type, EventListener<? super E> listener) {
        listeners.remove(type, listener);
    }

    @Override
    public void removeEventListener(String type, EventListener<? super Event> listener) {
        listeners.remove(EventType.of(type), listener);
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + " " + url + " " + state + "]";
    }

    // ---------------------------------------------------------------- the connection's side (event loop)

    /** Called by the Jakarta endpoint when the handshake completed, on the connection's event loop. */
    void bind(Channel boundChannel) {
        this.channel = boundChannel;
        this.connectedAtMillis = System.currentTimeMillis();
        this.openedAtNanos = System.nanoTime();
        metrics.upgrade(ZoneMetrics.Outcome.ACCEPTED);
        metrics.opened(openedAtNanos);
        this.events = zone.dispatch() == Dispatch.EVENT_LOOP
                ? EventExecutor.onEventLoop(boundChannel.eventLoop())
                : EventExecutor.serialOn(runtime.workers());
        FramePipeline.install(boundChannel, this, settings.maxMessageSize());
        liveness = runtime.heartbeats().watch(this, Duration.ofSeconds(idleTimeoutSeconds), settings.maxIdle());
        liveness.start();
        zone.socketOpened(this); // publishes the socket to other threads (admin API), liveness included
        if (STATE.compareAndSet(this, ReadyState.CONNECTING, ReadyState.OPEN)) {
            raise(EventType.OPEN, new OpenEvent(this));
        } else {
            // The script closed the socket before the handshake completed: no "open", straight to closing.
            RequestedClose requested = requestedClose;
            if (requested == null) { // close() won the state but has not stored its code yet
                requested = new RequestedClose(CloseCodes.NORMAL, "");
            }
            startClosingHandshake(requested.code(), requested.reason());
        }
    }

    void onMessage(boolean text, ByteBuf payload) {
        liveness.onData();
        messagesIn++;
        bytesIn += payload.readableBytes();
        metrics.messageIn(text, payload.readableBytes());
        lastDataAtMillis = System.currentTimeMillis();
        if (state != ReadyState.OPEN) {
            return; // WHATWG: messages that arrive once closing has started are dropped
        }
        Object data = text ? payload.toString(StandardCharsets.UTF_8) : ByteBufUtil.getBytes(payload);
        MessageEvent event = new MessageEvent(data, origin(), "", null, List.of(), this);
        if (zone.dispatch() == Dispatch.EVENT_LOOP) {
            raise(EventType.MESSAGE, event);
            return;
        }
        // A slow listener must not let one client fill the heap: stop reading until the queue drains.
        int size = payload.readableBytes();
        if (INBOUND.addAndGet(this, size) > INBOUND_HIGH_WATER && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
        }
        events.execute(() -> {
            try {
                listeners.dispatch(EventType.MESSAGE, event);
            } finally {
                if (INBOUND.addAndGet(this, -size) <= INBOUND_LOW_WATER) {
                    onEventLoop(this::resumeReading);
                }
            }
        });
    }

    private void resumeReading() {
        if (!channel.config().isAutoRead() && inboundQueued <= INBOUND_LOW_WATER && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    void onPing(ByteBuf payload) {
        if (!closeFrameSent) {
            channel.writeAndFlush(new PongWebSocketFrame(payload.retainedDuplicate()));
        }
    }

    void onPong(ByteBuf payload) {
        // Pongs are the server's business (heartbeats); scripts never see them.
        long roundTrip = liveness.onPong();
        if (roundTrip >= 0) {
            metrics.pingRoundTrip(roundTrip);
        }
    }

    /** The round trip of the last ping that got a pong, or -1. */
    public long lastPongRoundTripNanos() {
        return liveness == null ? -1 : liveness.lastRoundTripNanos();
    }

    // ---------------------------------------------------------------- heartbeat (Monitored)

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return state == ReadyState.OPEN;
    }

    @Override
    public void sendPing() {
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
    }

    @Override
    public void pongTimedOut(long waitedMillis) {
        metrics.heartbeatTimeout();
        fail(CloseCodes.GOING_AWAY, "No response from ping frame.",
                "No pong arrived within " + waitedMillis + " ms of the ping: the connection is deemed unhealthy.", null);
    }

    @Override
    public void dataIdle(long idleMillis) {
        if (STATE.compareAndSet(this, ReadyState.OPEN, ReadyState.CLOSING)) {
            // The reason names the zone's limit: the check may run a little after the deadline.
            startClosingHandshake(CloseCodes.GOING_AWAY,
                    "No message received for " + settings.maxIdle().toSeconds() + " seconds");
        }
    }

    /** The client's close frame: complete the closing handshake and drop the connection. */
    void onCloseFrame(int code, String reason) {
        if (closeFrameReceived) {
            return;
        }
        closeFrameReceived = true;
        receivedCode = code < 0 ? CloseCodes.NO_STATUS : code;
        receivedReason = reason == null ? "" : reason;
        STATE.compareAndSet(this, ReadyState.OPEN, ReadyState.CLOSING);
        if (closeFrameSent) {
            channel.close();
        } else {
            closeFrameSent = true;
            // RFC 6455 5.5.1: answer with a close frame that echoes the status code.
            CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                    : new CloseWebSocketFrame(code, receivedReason);
            channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void startClosingHandshake(int code, String reason) {
        if (closeFrameSent || !channel.isActive()) {
            return;
        }
        closeFrameSent = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        if (closeFrameReceived) {
            channel.close();
        } else {
            closeTimer = channel.eventLoop().schedule(() -> {
                LOG.debugf("Socket %s: no close frame from the client within the close timeout", id);
                channel.close();
            }, runtime.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fails the connection: the script sees {@code error}, then {@code close} with this code and
     * {@code wasClean=false}. The close frame is sent and the connection dropped at once, without
     * waiting for the client, so a dead or hostile peer holds nothing.
     */
    void fail(int code, String reason, String errorMessage, Throwable cause) {
        if (failed || closeEventRaised) {
            return;
        }
        failed = true;
        failureCode = code;
        failureReason = reason;
        state = ReadyState.CLOSING;
        raise(EventType.ERROR, new ErrorEvent(errorMessage, cause, this));
        boolean peerIsTalking = code == CloseCodes.PROTOCOL_ERROR || code == CloseCodes.INVALID_PAYLOAD
                || code == CloseCodes.MESSAGE_TOO_BIG;
        if (!closeFrameSent && channel.isActive()) {
            closeFrameSent = true;
            ChannelFuture sent = channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            if (peerIsTalking && channel instanceof DuplexChannel duplex) {
                // The client is still sending (say the rest of an oversized message). Closing now, with its
                // bytes unread, would make the kernel answer with a reset that can destroy our close frame
                // before the client reads it. So: send the close frame, half-close, read and drop what still
                // comes for a moment, then close.
                channel.config().setAutoRead(true);
                sent.addListener(f -> duplex.shutdownOutput());
                closeTimer = channel.eventLoop().schedule(() -> {
                    channel.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
        }
        // A dead peer (no pong) or one that does not read (1008) must not hold the connection.
        channel.close();
    }

    /** {@link #fail} from any thread (heartbeats, a send on a worker). */
    public void failFromAnyThread(int code, String reason, String errorMessage) {
        onEventLoop(() -> fail(code, reason, errorMessage, null));
    }

    /** The connection is gone: raise the one close event, with its true cause. */
    void onDisconnected() {
        if (closeEventRaised) {
            return;
        }
        closeEventRaised = true;
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (liveness != null) {
            liveness.stop();
        }
        state = ReadyState.CLOSED;
        zone.socketClosed(this);
        releasePlace();
        CloseEvent event;
        if (failed) {
            event = new CloseEvent(failureCode, failureReason, false, this);
        } else if (closeFrameReceived) {
            event = new CloseEvent(receivedCode, receivedReason, closeFrameSent, this);
        } else {
            raise(EventType.ERROR, new ErrorEvent("The connection was lost without a close frame.", null, this));
            event = new CloseEvent(CloseCodes.ABNORMAL, "", false, this);
        }
        metrics.closed(event.code(), openedAtNanos);
        raise(EventType.CLOSE, event);
        // Listeners go once the close event has run; nothing of the script stays reachable.
        events.execute(listeners::clear);
    }

    private void raise(EventType<?> type, Event event) {
        // Listeners are looked up when the event runs, not now: an "open" listener still queued may
        // add the "message" listener for the frames arriving behind it.
        events.execute(() -> listeners.dispatch(type, event));
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private String origin() {
        return origin;
    }
}
