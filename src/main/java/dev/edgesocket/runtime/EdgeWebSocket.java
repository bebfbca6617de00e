package dev.edgesocket.runtime;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

import dev.edgesocket.api.Blob;
import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.ErrorEvent;
import dev.edgesocket.api.Event;
import dev.edgesocket.api.EventListener;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.ListenerOptions;
import dev.edgesocket.api.ReadyState;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.runtime.SocketState.Closed;
import dev.edgesocket.runtime.SocketState.StartClose;
import dev.edgesocket.zone.Place;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.SocketScope;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSocket;
import dev.edgesocket.zone.ZoneSettings;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;

/**
 * The socket a script drives. Created in {@code CONNECTING} by {@code upgradeWebSocket}, bound to the
 * connection's channel when the Jakarta handshake completes, closed exactly once.
 * <p>
 * Its jobs are split: {@link SocketState} owns its life (the ready state, who closed, the failure, the one close
 * event); {@link SocketConnection} is what the bound connection does (reading, writing, the heartbeat, the end);
 * {@link SocketEvents} delivers the events to the listeners. This class is the script's side of it all.
 * <p>
 * Threading: {@code send}, {@code close} and the listener methods may be called from any thread; what the
 * connection reports arrives on the channel's event loop.
 */
public final class EdgeWebSocket implements WebSocket, ZoneSocket, SocketScope {

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
    private final ZoneMetrics metrics;
    private final SocketState state = new SocketState();
    private final SocketEvents events;
    // The zone place this socket holds (see Admission), given back exactly once.
    private volatile Place place = Place.none();
    /** Set once by bind(), on the event loop, before the state turns OPEN. */
    private volatile SocketConnection connection;

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
        this.events = new SocketEvents(id);
    }

    // ---------------------------------------------------------------- the script's side

    @Override
    public void send(String data) {
        if (sendable()) {
            connection.out.text(ByteBufUtil.writeUtf8(connection.alloc(), data));
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
            connection.out.binary(connection.alloc().buffer(length).writeBytes(data, offset, length));
        }
    }

    @Override
    public void send(ByteBuffer data) {
        if (sendable()) {
            connection.out.binary(connection.alloc().buffer(data.remaining()).writeBytes(data.duplicate()));
        }
    }

    @Override
    public void send(Blob data) {
        send(data.bytes());
    }

    private boolean sendable() {
        ReadyState s = state.readyState();
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
        if (state.close(code, why) instanceof StartClose start) {
            connection.startClose(start.code(), start.reason());
        }
    }

    @Override
    public ReadyState readyState() {
        return state.readyState();
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
        SocketConnection c = connection;
        return c == null ? 0 : c.out.bufferedAmount();
    }

    @Override
    public boolean writeQueueFull() {
        SocketConnection c = connection;
        return c != null && c.out.writeQueueFull();
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
        SocketConnection c = connection;
        return c != null ? c.info(id, remoteAddress, protocol)
                : new SessionInfo(id, remoteAddress, protocol, Instant.EPOCH, null, null, 0, 0, 0, 0, 0, null);
    }

    @Override
    public <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener) {
        events.listeners().add(type, listener, false);
    }

    @Override
    public <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener,
            ListenerOptions options) {
        events.listeners().add(type, listener, options != null && options.once());
    }

    @Override
    public void addEventListener(String type, EventListener<? super Event> listener) {
        events.listeners().add(EventType.of(type), listener, false);
    }

    @Override
    public void addEventListener(String type, EventListener<? super Event> listener, ListenerOptions options) {
        events.listeners().add(EventType.of(type), listener, options != null && options.once());
    }

    @Override
    public <E extends Event> void removeEventListener(EventType<E> type, EventListener<? super E> listener) {
        events.listeners().remove(type, listener);
    }

    @Override
    public void removeEventListener(String type, EventListener<? super Event> listener) {
        events.listeners().remove(EventType.of(type), listener);
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + " " + url + " " + state.readyState() + "]";
    }

    // ---------------------------------------------------------------- zone place

    /** The bound connection, or null before the handshake completed. */
    SocketConnection connection() {
        return connection;
    }

    /** The request filter hands this socket the zone place its upgrade took. */
    void holdPlace(Place taken) {
        place = taken;
    }

    /** Gives the place back, once: when the close event is raised, or when the connection ends unbound. */
    void releasePlace() {
        place.release();
    }

    // ---------------------------------------------------------------- the hand-off

    /** The script answered its request with something else than the upgrade: the socket never opens, silently. */
    void neverOpened() {
        state.neverOpened();
        events.runWhenClosed();
    }

    /** The connection ended before the handshake completed: the socket never opens. */
    void abandonIfUnbound() {
        // bind() runs on this same event loop: the state machine knows whether it ran.
        if (!(state.abandonedUnbound() instanceof Closed closed)) {
            return;
        }
        releasePlace();
        // The script may have put the socket somewhere at upgrade time: tell it, as for a lost connection.
        events.start(zone.dispatch() == Dispatch.WORKER ? EventExecutor.serialOn(runtime.workers()) : Runnable::run);
        events.raise(EventType.ERROR, new ErrorEvent(closed.error(), null, this));
        events.raiseLast(EventType.CLOSE, new CloseEvent(closed.code(), closed.reason(), closed.wasClean(), this));
    }

    /** Called by the Jakarta endpoint when the handshake completed, on the connection's event loop. */
    void bind(Channel channel) {
        boolean worker = zone.dispatch() == Dispatch.WORKER;
        events.start(worker ? EventExecutor.serialOn(runtime.workers()) : EventExecutor.onEventLoop(channel.eventLoop()));
        SocketConnection c = new SocketConnection(this, state, events, channel, settings, idleTimeout, deflate, origin,
                worker, runtime, metrics);
        connection = c;
        c.open();
    }

    // ---------------------------------------------------------------- other parts' hold on the socket (SocketScope)

    @Override
    public boolean runInTurn(Runnable task) {
        if (state.readyState() != ReadyState.OPEN) { // OPEN is written after bind() made the connection
            return false;
        }
        connection.runInTurn(task);
        return true;
    }

    @Override
    public void whenClosed(Runnable action) {
        events.whenClosed(action);
    }
}
