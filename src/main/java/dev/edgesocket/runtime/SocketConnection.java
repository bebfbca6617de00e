package dev.edgesocket.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.DrainEvent;
import dev.edgesocket.api.ErrorEvent;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.MessageEvent;
import dev.edgesocket.api.OpenEvent;
import dev.edgesocket.api.ReadyState;
import dev.edgesocket.heartbeat.Liveness;
import dev.edgesocket.heartbeat.Monitored;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.runtime.SocketState.StartClose;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.ZoneSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * A socket once its handshake completed: its connection and the parts that read it ({@link FrameReader},
 * {@link MessageAssembler}, {@link ReadFlow}), write it ({@link Outbound}), watch it ({@link Liveness}) and end it
 * ({@link ClosingHandshake}). It turns what they report into the script's events and the state machine's
 * transitions ({@link SocketState}); the script's side stays on {@link EdgeWebSocket}.
 * <p>
 * Threading: everything the connection reports arrives on the channel's event loop; the heartbeat and the budget
 * call from there too, except {@link #shed()} and the counters for the admin API.
 */
final class SocketConnection implements InboundFrames, Outbound.Owner, ClosingHandshake.Ending, Monitored,
        QueueBudget.Holder {

    private static final int OVERHEAD = QueueBudget.MESSAGE_OVERHEAD;

    private final EdgeWebSocket socket;
    private final SocketState state;
    private final SocketEvents events;
    private final SocketRuntime runtime;
    private final ZoneMetrics metrics;
    private final Duration maxIdle;
    private final String origin;
    private final boolean workerDispatch;
    private final Channel channel;
    private final long connectedAtMillis = System.currentTimeMillis();
    private final long openedAtNanos = System.nanoTime();
    final Outbound out;
    private final MessageAssembler assembler;
    private final FrameReader reader;
    private final Liveness liveness;
    private final ReadFlow flow;
    private final ClosingHandshake closing;

    // Written on the event loop only; read by the admin API.
    private volatile long messagesIn;
    private volatile long bytesIn;
    private volatile long lastDataAtMillis;
    private volatile boolean shedding;

    /** Runs on the connection's event loop, in the task that completed the handshake. */
    SocketConnection(EdgeWebSocket socket, SocketState state, SocketEvents events, Channel channel, ZoneSettings settings,
            Duration idleTimeout, PerMessageDeflate.Agreement deflate, String origin, boolean workerDispatch,
            SocketRuntime runtime, ZoneMetrics metrics) {
        this.socket = socket;
        this.state = state;
        this.events = events;
        this.runtime = runtime;
        this.metrics = metrics;
        this.maxIdle = settings.maxIdle();
        this.origin = origin;
        this.workerDispatch = workerDispatch;
        this.channel = channel;
        metrics.opened(openedAtNanos);
        CompressionBudget.Socket compression = deflate == null ? null : runtime.compression().forSocket();
        this.out = new Outbound(this, metrics, channel, settings.maxBufferedAmount(), deflate, runtime.deflaters(),
                runtime.budget(), compression);
        this.assembler = new MessageAssembler(this, channel.alloc(), settings.maxMessageSize(), settings.maxFragments(),
                deflate);
        this.reader = new FrameReader(this, assembler, deflate != null);
        this.liveness = runtime.heartbeats().watch(this, idleTimeout, settings.maxIdle());
        this.flow = new ReadFlow(channel, reader, out, liveness, runtime.budget(), compression);
        this.closing = new ClosingHandshake(state, this, channel, out, runtime.closeTimeout().toMillis(),
                workerDispatch ? events.executor() : null);
    }

    /** Puts the frame reader in, starts the watch, and opens the socket (or begins the close asked for meanwhile). */
    void open() {
        FramePipeline.install(channel, reader);
        runtime.budget().register(this);
        liveness.start();
        socket.zone().socketOpened(socket); // publishes the socket to other threads (admin API), liveness included
        switch (state.opened()) {
            case SocketState.Open open -> events.raise(EventType.OPEN, new OpenEvent(socket));
            // The script closed the socket before the handshake completed: no "open", straight to closing.
            case StartClose close -> closing.start(close.code(), close.reason());
            default -> {
            }
        }
    }

    /** Begins the script's close (or the drain's) on the event loop. */
    void startClose(int code, String reason) {
        onEventLoop(() -> closing.start(code, reason));
    }

    /** Runs {@code task} in the socket's order of events (SocketScope.runInTurn). */
    void runInTurn(Runnable task) {
        if (workerDispatch) {
            events.execute(task);
        } else {
            // Always queued, never run inline: a task never runs nested inside another callback of this
            // event loop (run to completion, as a JavaScript event loop has it).
            channel.eventLoop().execute(task);
        }
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    SessionInfo info(String id, String remoteAddress, String protocol) {
        long rtt = liveness.lastRoundTripNanos();
        return new SessionInfo(id, remoteAddress, protocol, Instant.ofEpochMilli(connectedAtMillis),
                lastDataAtMillis == 0 ? null : Instant.ofEpochMilli(lastDataAtMillis), rtt < 0 ? null : rtt / 1e6,
                messagesIn, out.messages(), bytesIn, out.bytes(), out.bufferedAmount(), null);
    }

    // ---------------------------------------------------------------- what the client sends (InboundFrames)

    @Override
    public String id() {
        return socket.id();
    }

    @Override
    public void onMessage(boolean text, ByteBuf payload) {
        flow.counted();
        liveness.onData();
        int size = payload.readableBytes();
        messagesIn++;
        bytesIn += size;
        metrics.messageIn(text, size);
        lastDataAtMillis = System.currentTimeMillis();
        if (state.readyState() != ReadyState.OPEN) {
            return; // WHATWG: messages that arrive once closing has started are dropped
        }
        Object data = text ? payload.toString(StandardCharsets.UTF_8) : ByteBufUtil.getBytes(payload);
        MessageEvent event = new MessageEvent(data, origin, "", null, List.of(), socket);
        if (!workerDispatch) {
            events.raise(EventType.MESSAGE, event);
            return;
        }
        long cost = size + (long) OVERHEAD;
        flow.queued(cost);
        events.execute(() -> {
            try {
                events.listeners().dispatch(EventType.MESSAGE, event);
            } finally {
                flow.dequeued(cost);
            }
        });
    }

    @Override
    public void onPing(byte[] payload, int length) {
        flow.counted();
        out.pong(payload, length);
    }

    @Override
    public void onPong(byte[] payload, int length) {
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

    @Override
    public void onCloseFrame(int code, String reason) {
        closing.onCloseFrame(code, reason);
    }

    @Override
    public void violation(int code, String reason, String message) {
        closing.onViolation(code, reason, message, null);
    }

    @Override
    public void failNow(int code, String reason, String message, Throwable cause) {
        closing.fail(code, reason, message, cause);
    }

    @Override
    public void onDisconnected() {
        closing.onDisconnected();
    }

    @Override
    public void readStarted() {
        out.readStarted();
    }

    @Override
    public void readCompleted() {
        out.readCompleted();
    }

    @Override
    public void newTurn() {
        flow.newTurn();
    }

    @Override
    public boolean readingPaused() {
        return flow.paused();
    }

    @Override
    public void inflated(long bytes) {
        flow.inflated(bytes);
    }

    @Override
    public void assembling(long delta) {
        flow.assembling(delta);
    }

    // ---------------------------------------------------------------- what the write queue reports (Outbound.Owner)

    @Override
    public boolean sealed() {
        return state.sealed();
    }

    /**
     * A send passed max-buffered-amount: from now on the socket is closing, so what the script sends next is
     * dropped at once; the connection is failed with 1008 on its event loop.
     */
    @Override
    public void overflowed(String message) {
        if (state.leaveOpen()) {
            onEventLoop(() -> closing.fail(CloseCodes.POLICY_VIOLATION, "Send buffer full: the client is not reading",
                    message, null));
        }
    }

    /** The write queue drained (from the thread whose write completed). */
    @Override
    public void drained() {
        if (state.readyState() == ReadyState.OPEN) {
            events.raise(EventType.DRAIN, new DrainEvent(socket));
        }
    }

    @Override
    public void pauseReading() {
        flow.pause(ReadFlow.PAUSE_OUTBOUND);
    }

    /** True when the client began the close, false when the server did (or none did yet). */
    boolean clientStartedClose() {
        return state.peerStartedClose();
    }

    /** Reading paused or resumed for a Pull Zone's origin; on the event loop. */
    void relayPaused(boolean paused) {
        if (paused) {
            flow.pause(ReadFlow.PAUSE_RELAY);
        } else {
            flow.resume(ReadFlow.PAUSE_RELAY);
        }
    }

    @Override
    public void resumeReading() {
        flow.resume(ReadFlow.PAUSE_OUTBOUND);
    }

    // ---------------------------------------------------------------- the end (ClosingHandshake.Ending)

    @Override
    public void raiseError(String message, Throwable cause) {
        events.raise(EventType.ERROR, new ErrorEvent(message, cause, socket));
    }

    @Override
    public void stopReading() {
        flow.stop();
    }

    /** The connection is gone; the close event is raised once, and nothing of the script stays reachable. */
    @Override
    public void raiseClose(int code, String reason, boolean wasClean) {
        liveness.stop();
        socket.zone().socketClosed(socket);
        runtime.budget().unregister(this);
        out.release();
        socket.releasePlace();
        metrics.closed(code, openedAtNanos);
        events.raiseLast(EventType.CLOSE, new CloseEvent(code, reason, wasClean, socket));
    }

    // ---------------------------------------------------------------- the server's budget (QueueBudget.Holder)

    @Override
    public long held() {
        return flow.inboundQueued() + out.cost() + assembler.held();
    }

    @Override
    public void shed() {
        shedding = true;
        onEventLoop(() -> {
            if (state.readyState() != ReadyState.CLOSED) {
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

    // ---------------------------------------------------------------- heartbeat (Monitored)

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return state.readyState() == ReadyState.OPEN;
    }

    @Override
    public boolean hasBacklog() {
        return flow.inboundQueued() > 0;
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
        if (state.readyState() != ReadyState.CLOSED) {
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
        if (state.leaveOpen()) {
            // The reason names the zone's limit: the check may run a little after the deadline.
            closing.start(CloseCodes.GOING_AWAY, "No message received for " + describe(maxIdle));
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " seconds" : d.toMillis() + " ms";
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }
}
