package dev.edgesocket.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.edgesocket.api.Blob;
import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.DrainEvent;
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
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.events.ListenerSet;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.SocketScope;
import dev.edgesocket.zone.Place;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSocket;
import dev.edgesocket.zone.ZoneSettings;
import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * The socket a script drives. Created in {@code CONNECTING} by {@code upgradeWebSocket}, bound to the
 * connection's channel when the Jakarta handshake completes, closed exactly once.
 * <p>
 * Its jobs are split: {@link FrameReader} and {@link MessageAssembler} read what the client sends,
 * {@link Outbound} writes what the script sends, {@link ClosingHandshake} ends the connection, and this
 * class holds the state the script sees and delivers events to its listeners.
 * <p>
 * Threading: {@code send}, {@code close} and the listener methods may be called from any thread.
 * Everything the connection reports arrives on the channel's event loop; only {@link #state} and the
 * inbound queue size are shared.
 */
public final class EdgeWebSocket implements WebSocket, Monitored, ZoneSocket, SocketScope, QueueBudget.Holder {

    private static final Logger LOG = Logger.getLogger(EdgeWebSocket.class);
    private static final AtomicReferenceFieldUpdater<EdgeWebSocket, ReadyState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(EdgeWebSocket.class, ReadyState.class, "state");
    private static final AtomicReferenceFieldUpdater<EdgeWebSocket, RequestedClose> REQUESTED =
            AtomicReferenceFieldUpdater.newUpdater(EdgeWebSocket.class, RequestedClose.class, "requestedClose");
    private static final AtomicLongFieldUpdater<EdgeWebSocket> INBOUND =
            AtomicLongFieldUpdater.newUpdater(EdgeWebSocket.class, "inboundQueued");

    /**
     * What queued inbound messages may cost (bytes plus {@link QueueBudget#MESSAGE_OVERHEAD} each) before the socket
     * stops reading from the network: an empty message is not free.
     */
    private static final long INBOUND_HIGH_WATER = 1 << 20;
    private static final long INBOUND_LOW_WATER = INBOUND_HIGH_WATER / 4;
    private static final int OVERHEAD = QueueBudget.MESSAGE_OVERHEAD;
    /** Why reading is paused: listeners behind, the client not reading our frames, the inflate budget spent. */
    static final int PAUSE_INBOUND = 1, PAUSE_OUTBOUND = 2, PAUSE_INFLATE = 4, PAUSE_YIELD = 16;
    /** Messages (and pings) one turn of the event loop handles for a socket before it yields to the others. */
    static final int YIELD_EVERY = 512;
    /** Never taken back: the connection is being dropped. */
    private static final int PAUSE_CLOSED = 8;

    private final long sequence;
    private final String id;
    private final String remoteAddress;
    private final Zone zone;
    private final ZoneSettings settings;
    private final String url;
    private final String origin;
    private final String protocol;
    private final Duration idleTimeout;
    private final PerMessageDeflate.Agreement deflate;
    private final SocketRuntime runtime;
    private final ListenerSet listeners = new ListenerSet();
    private final ZoneMetrics metrics;
    // The zone place this socket holds (see Admission), given back exactly once.
    private volatile Place place = Place.none();

    private volatile ReadyState state = ReadyState.CONNECTING;
    /** A close the script asked for while connecting; bind() sends it instead of firing "open". */
    private record RequestedClose(int code, String reason) {
    }

    private volatile RequestedClose requestedClose;
    /** What the messages queued for listeners cost (worker dispatch). */
    private volatile long inboundQueued;
    /** Reading paused because listeners are behind; written on the event loop, read by workers. */
    private volatile boolean inboundPaused;
    /** Why reading is paused (PAUSE_* bits); confined to the event loop. */
    private int pauseReasons;
    /** Messages and pings handled in this turn of the event loop; confined to it. */
    private int messagesThisTurn;
    private volatile boolean shedding;

    // Set once by bind(), on the event loop, before any event is raised.
    private Channel channel;
    private EventExecutor events;
    private Outbound out;
    private ClosingHandshake closing;
    private FrameReader reader;
    private MessageAssembler assembler;
    private CompressionBudget.Socket compression;
    private volatile Liveness liveness;
    private long openedAtNanos;
    private volatile long connectedAtMillis;
    // Written on the event loop only.
    private volatile long messagesIn;
    private volatile long bytesIn;
    private volatile long lastDataAtMillis;
    private boolean unboundClosed;
    // What other parts tied to this socket's end (SocketScope.whenClosed); null until the first, and once ended.
    private List<Runnable> whenClosed;
    private boolean ended;

    EdgeWebSocket(SessionDirectory.SessionId sessionId, Zone zone, ZoneSettings settings, String url, String origin,
            String protocol, Duration idleTimeout, PerMessageDeflate.Agreement deflate, String remoteAddress,
            SocketRuntime runtime) {
        this.sequence = sessionId.sequence();
        this.id = sessionId.id();
        this.zone = zone;
        this.settings = settings;
        this.url = url;
        this.origin = origin;
        this.protocol = protocol;
        this.idleTimeout = idleTimeout;
        this.deflate = deflate;
        this.remoteAddress = remoteAddress;
        this.runtime = runtime;
        this.metrics = runtime.metrics(zone);
    }

    // ---------------------------------------------------------------- the script's side

    @Override
    public void send(String data) {
        if (sendable()) {
            out.text(ByteBufUtil.writeUtf8(channel.alloc(), data));
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
            out.binary(channel.alloc().buffer(length).writeBytes(data, offset, length));
        }
    }

    @Override
    public void send(ByteBuffer data) {
        if (sendable()) {
            out.binary(channel.alloc().buffer(data.remaining()).writeBytes(data.duplicate()));
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
                // Recorded before the state moves, so bind() always finds the code; the first close wins.
                if (!REQUESTED.compareAndSet(this, null, new RequestedClose(code, why))) {
                    return;
                }
                if (STATE.compareAndSet(this, ReadyState.CONNECTING, ReadyState.CLOSING)) {
                    return;
                }
                // bind() opened the socket meanwhile: close it as an open one.
            } else if (s == ReadyState.OPEN) {
                if (STATE.compareAndSet(this, s, ReadyState.CLOSING)) {
                    onEventLoop(() -> closing.start(code, why));
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
        Outbound o = out;
        return o == null ? 0 : o.bufferedAmount();
    }

    @Override
    public boolean writeQueueFull() {
        Outbound o = out;
        return o != null && o.writeQueueFull();
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

    /** The permessage-deflate agreement, or {@code null}; the request filter answers the handshake with it. */
    PerMessageDeflate.Agreement deflate() {
        return deflate;
    }

    @Override
    public SessionInfo info() {
        long rtt = lastPongRoundTripNanos();
        Outbound o = out;
        return new SessionInfo(id, remoteAddress, protocol, Instant.ofEpochMilli(connectedAtMillis),
                lastDataAtMillis == 0 ? null : Instant.ofEpochMilli(lastDataAtMillis),
                rtt < 0 ? null : rtt / 1e6, messagesIn, o == null ? 0 : o.messages(), bytesIn,
                o == null ? 0 : o.bytes(), bufferedAmount(), null);
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

    // ---------------------------------------------------------------- zone place

    /** The request filter hands this socket the zone place its upgrade took. */
    void holdPlace(Place taken) {
        place = taken;
    }

    private void releasePlace() {
        place.release();
    }

    /** The script answered its request with something else than the upgrade: the socket never opens, silently. */
    void neverOpened() {
        state = ReadyState.CLOSED;
        runWhenClosed();
    }

    /** The connection ended before the handshake completed: the socket never opens. */
    void abandonIfUnbound() {
        if (channel != null || unboundClosed) { // bind() runs on this same event loop: these reads are current
            return;
        }
        unboundClosed = true;
        state = ReadyState.CLOSED;
        releasePlace();
        // The script may have put the socket somewhere at upgrade time: tell it, as for a lost connection.
        events = workerDispatch() ? EventExecutor.serialOn(runtime.workers()) : Runnable::run;
        raise(EventType.ERROR, new ErrorEvent("The connection ended before the WebSocket handshake completed.", null, this));
        raise(EventType.CLOSE, new CloseEvent(CloseCodes.ABNORMAL, "", false, this));
        events.execute(this::ended);
    }

    // ---------------------------------------------------------------- the connection's side (event loop)

    /** Called by the Jakarta endpoint when the handshake completed, on the connection's event loop. */
    void bind(Channel boundChannel) {
        this.channel = boundChannel;
        this.connectedAtMillis = System.currentTimeMillis();
        this.openedAtNanos = System.nanoTime();
        metrics.opened(openedAtNanos);
        this.events = workerDispatch() ? EventExecutor.serialOn(runtime.workers())
                : EventExecutor.onEventLoop(boundChannel.eventLoop());
        this.compression = deflate == null ? null : runtime.compression().forSocket();
        this.out = new Outbound(this, boundChannel, settings.maxBufferedAmount(), deflate, runtime.deflaters(),
                runtime.budget(), compression);
        this.closing = new ClosingHandshake(this, boundChannel, out, runtime.closeTimeout().toMillis());
        this.assembler = new MessageAssembler(this, boundChannel.alloc(), settings.maxMessageSize(),
                settings.maxFragments(), deflate);
        this.reader = new FrameReader(this, assembler, deflate != null);
        FramePipeline.install(boundChannel, reader);
        runtime.budget().register(this);
        liveness = runtime.heartbeats().watch(this, idleTimeout, settings.maxIdle());
        liveness.start();
        zone.socketOpened(this); // publishes the socket to other threads (admin API), liveness included
        if (STATE.compareAndSet(this, ReadyState.CONNECTING, ReadyState.OPEN)) {
            raise(EventType.OPEN, new OpenEvent(this));
        } else {
            // The script closed the socket before the handshake completed: no "open", straight to closing.
            RequestedClose requested = requestedClose;
            closing.start(requested.code(), requested.reason());
        }
    }

    boolean workerDispatch() {
        return zone.dispatch() == Dispatch.WORKER;
    }

    EventExecutor events() {
        return events;
    }

    ZoneMetrics metrics() {
        return metrics;
    }

    void readStarted() {
        out.readStarted();
    }

    void readCompleted() {
        out.readCompleted();
    }

    /** A whole message; the payload is released by the caller once this returns. */
    void onMessage(boolean text, ByteBuf payload) {
        messagesThisTurn++;
        liveness.onData();
        int size = payload.readableBytes();
        messagesIn++;
        bytesIn += size;
        metrics.messageIn(text, size);
        lastDataAtMillis = System.currentTimeMillis();
        if (state != ReadyState.OPEN) {
            return; // WHATWG: messages that arrive once closing has started are dropped
        }
        Object data = text ? payload.toString(StandardCharsets.UTF_8) : ByteBufUtil.getBytes(payload);
        MessageEvent event = new MessageEvent(data, origin, "", null, List.of(), this);
        if (!workerDispatch()) {
            raise(EventType.MESSAGE, event);
            return;
        }
        // A slow listener must not let one client fill the heap: stop reading until the queue drains. Each message
        // counts with its overhead, so a flood of empty ones stops as surely as large ones.
        long cost = size + (long) OVERHEAD;
        runtime.budget().charge(cost);
        if (INBOUND.addAndGet(this, cost) > INBOUND_HIGH_WATER && !inboundPaused) {
            pauseForInbound();
        }
        events.execute(() -> {
            try {
                listeners.dispatch(EventType.MESSAGE, event);
            } finally {
                runtime.budget().credit(cost);
                // Only a paused socket needs the event loop to hear that its queue went down.
                if (INBOUND.addAndGet(this, -cost) <= INBOUND_LOW_WATER && inboundPaused) {
                    onEventLoop(this::resumeForInbound);
                }
            }
        });
    }

    private void pauseForInbound() {
        inboundPaused = true;
        pauseReading(PAUSE_INBOUND);
        if (inboundQueued <= INBOUND_LOW_WATER) {
            resumeForInbound(); // the workers emptied the queue before they could see the pause
        }
    }

    private void resumeForInbound() {
        if (inboundPaused && inboundQueued <= INBOUND_LOW_WATER) {
            inboundPaused = false;
            resumeReading(PAUSE_INBOUND);
        }
    }

    /** Stops reading from the client for {@code reason} (a PAUSE_* bit); on the event loop. */
    void pauseReading(int reason) {
        if (pauseReasons == 0) {
            channel.config().setAutoRead(false);
        }
        boolean wasSuspended = (pauseReasons & ~PAUSE_YIELD) != 0;
        pauseReasons |= reason;
        if (!wasSuspended && (pauseReasons & ~PAUSE_YIELD) != 0) {
            // The client cannot be heard while we do not read: its pongs and messages must not count against it.
            // (A client that does not read our frames is caught by the stalled-queue check instead.) A yield is too
            // short to matter, and must not count as the client's activity when it ends.
            liveness.suspend();
        }
    }

    /** Takes back a pause for {@code reason}; reading resumes when no reason is left. On the event loop. */
    void resumeReading(int reason) {
        if ((pauseReasons & reason) == 0) {
            return;
        }
        boolean wasSuspended = (pauseReasons & ~PAUSE_YIELD) != 0;
        pauseReasons &= ~reason;
        if (wasSuspended && (pauseReasons & ~PAUSE_YIELD) == 0) {
            liveness.resume();
        }
        if (pauseReasons != 0) {
            return;
        }
        newTurn();
        // First what was read before the pause; it may pause again.
        if (channel.isActive() && reader.resume() && pauseReasons == 0) {
            channel.config().setAutoRead(true);
        }
    }

    /** The connection is being dropped: nothing more is read, for good. On the event loop. */
    void stopReading() {
        reader.stop();
        pauseReading(PAUSE_CLOSED);
    }

    /**
     * True while reading is paused; the frame reader asks before each frame and stops. On the event loop. Besides the
     * pauses already decided, the outbound queue is looked at (workers' sends are charged before they reach the event
     * loop), and a read that has handled {@link #YIELD_EVERY} messages yields: the event loop serves its other
     * connections, then this one goes on, so a flood of tiny messages never holds the loop for long.
     */
    boolean readingPaused() {
        if (pauseReasons == 0) {
            out.pauseIfAboveHighWater();
            if (messagesThisTurn >= YIELD_EVERY) {
                pauseReading(PAUSE_YIELD);
                channel.eventLoop().execute(() -> resumeReading(PAUSE_YIELD));
            }
        }
        return pauseReasons != 0;
    }

    /** The read loop of the connection ended (channelReadComplete), or reading resumed: a new turn. */
    void newTurn() {
        messagesThisTurn = 0;
    }

    /**
     * The assembler inflated {@code bytes} of the client's compressed message: past the compression budget,
     * reading pauses until it refills (an honest client slows down; a bomb is held to the budget). Event loop.
     */
    void inflated(long bytes) {
        long waitNanos = compression.inflated(bytes);
        if (waitNanos > 0 && (pauseReasons & PAUSE_INFLATE) == 0) {
            pauseReading(PAUSE_INFLATE);
            channel.eventLoop().schedule(() -> resumeReading(PAUSE_INFLATE), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The assembler's buffer grew or was handed off: the server's budget counts it. */
    void assembling(long delta) {
        if (delta > 0) {
            runtime.budget().charge(delta);
        } else if (delta < 0) {
            runtime.budget().credit(-delta);
        }
    }

    // ---------------------------------------------------------------- the server's budget (QueueBudget.Holder)

    @Override
    public long held() {
        Outbound o = out;
        MessageAssembler a = assembler;
        return inboundQueued + (o == null ? 0 : o.cost()) + (a == null ? 0 : a.held());
    }

    @Override
    public void shed() {
        shedding = true;
        onEventLoop(() -> {
            if (state != ReadyState.CLOSED) {
                closing.fail(CloseCodes.TRY_AGAIN_LATER, "Server overloaded: try again later",
                        "The server's edgesocket.limits.max-queued-bytes was exhausted and this socket held the most.",
                        null);
            }
        });
    }

    @Override
    public boolean shedding() {
        return shedding;
    }

    void onPing(byte[] payload, int length) {
        messagesThisTurn++;
        out.pong(payload, length);
    }

    void onPong(byte[] payload, int length) {
        // Pongs are the server's business (heartbeats); scripts never see them. Only the answer to our own ping counts:
        // it proves the client read what we queued before the ping. Unsolicited pongs are allowed, and ignored.
        if (!out.answersPing(payload, length)) {
            return;
        }
        long roundTrip = liveness.onPong();
        if (roundTrip >= 0) {
            metrics.pingRoundTrip(roundTrip);
        }
    }

    void onCloseFrame(int code, String reason) {
        closing.onCloseFrame(code, reason);
    }

    /** The client broke the protocol: close with {@code code}, after earlier messages' listeners. */
    void violation(int code, String reason, String message) {
        closing.onViolation(code, reason, message, null);
    }

    /** Fails the connection at once (on the event loop). */
    void failNow(int code, String reason, String message, Throwable cause) {
        closing.fail(code, reason, message, cause);
    }

    /**
     * A send passed max-buffered-amount: from now on the socket is closing, so what the script sends next is
     * dropped at once; the connection is failed with 1008 on its event loop.
     */
    void sendBufferOverflow(String message) {
        if (STATE.compareAndSet(this, ReadyState.OPEN, ReadyState.CLOSING)) {
            onEventLoop(() -> closing.fail(CloseCodes.POLICY_VIOLATION, "Send buffer full: the client is not reading",
                    message, null));
        }
    }

    void onDisconnected() {
        closing.onDisconnected();
    }

    /** The closing handshake began (the client's close frame is being answered). */
    void closingStarted() {
        STATE.compareAndSet(this, ReadyState.OPEN, ReadyState.CLOSING);
    }

    /** The connection is being failed. */
    void failing() {
        state = ReadyState.CLOSING;
    }

    void raiseError(ErrorEvent event) {
        raise(EventType.ERROR, event);
    }

    /** The write queue drained (from the thread whose write completed). */
    void drained() {
        if (state == ReadyState.OPEN) {
            raise(EventType.DRAIN, new DrainEvent(this));
        }
    }

    // ---------------------------------------------------------------- other parts' hold on the socket (SocketScope)

    @Override
    public boolean runInTurn(Runnable task) {
        if (state != ReadyState.OPEN) { // OPEN is written after bind() set the executor
            return false;
        }
        if (workerDispatch()) {
            events.execute(task);
        } else {
            // Always queued, never run inline: a task never runs nested inside another callback of this
            // event loop (run to completion, as a JavaScript event loop has it).
            channel.eventLoop().execute(task);
        }
        return true;
    }

    @Override
    public void whenClosed(Runnable action) {
        synchronized (listeners) {
            if (!ended) {
                if (whenClosed == null) {
                    whenClosed = new ArrayList<>(2);
                }
                whenClosed.add(action);
                return;
            }
        }
        action.run();
    }

    /** After the close listeners: nothing of the script stays reachable, and what was tied to the socket ends. */
    private void ended() {
        listeners.clear();
        runWhenClosed();
    }

    private void runWhenClosed() {
        List<Runnable> actions;
        synchronized (listeners) {
            ended = true;
            actions = whenClosed;
            whenClosed = null;
        }
        if (actions != null) {
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "A close action of socket %s failed", id);
                }
            }
        }
    }

    /** The connection is gone; the close event is raised once, and nothing of the script stays reachable. */
    void closed(CloseEvent event) {
        if (liveness != null) {
            liveness.stop();
        }
        state = ReadyState.CLOSED;
        zone.socketClosed(this);
        runtime.budget().unregister(this);
        out.release();
        releasePlace();
        metrics.closed(event.code(), openedAtNanos);
        raise(EventType.CLOSE, event);
        events.execute(this::ended);
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
    public boolean hasBacklog() {
        return inboundQueued > 0;
    }

    @Override
    public void sendPing() {
        out.ping();
    }

    @Override
    public long outboundStalledNanos(long nowNanos) {
        return out.stalledNanos(nowNanos);
    }

    @Override
    public void outboundStalled(long stalledMillis) {
        metrics.heartbeatTimeout();
        // It does not read, so a close frame would wait behind the rest: fail() sends it and drops the connection.
        if (state != ReadyState.CLOSED) {
            closing.fail(CloseCodes.POLICY_VIOLATION, "Send queue stalled: the client is not reading",
                    "Nothing queued for the client was written for " + stalledMillis
                            + " ms: the client does not read, and is deemed unhealthy.", null);
        }
    }

    @Override
    public void pongTimedOut(long waitedMillis) {
        metrics.heartbeatTimeout();
        closing.fail(CloseCodes.GOING_AWAY, "No response from ping frame.",
                "No pong arrived within " + waitedMillis + " ms of the ping: the connection is deemed unhealthy.", null);
    }

    @Override
    public void dataIdle(long idleMillis) {
        if (STATE.compareAndSet(this, ReadyState.OPEN, ReadyState.CLOSING)) {
            // The reason names the zone's limit: the check may run a little after the deadline.
            closing.start(CloseCodes.GOING_AWAY, "No message received for " + describe(settings.maxIdle()));
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " seconds" : d.toMillis() + " ms";
    }
}
