package dev.edgesocket.channels;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.EventListener;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.ListenerOptions;
import dev.edgesocket.api.MessageEvent;
import dev.edgesocket.events.ListenerSet;
import dev.edgesocket.zone.SocketScope;

/**
 * One open channel object. Its listeners run one message at a time, in order: in its socket's turn when it
 * belongs to a socket, else serially on the worker pool. At most {@code max-pending} messages, and
 * {@code max-pending-bytes} of them (128 bytes of overhead each), wait for them.
 */
final class ChannelObject implements BroadcastChannel {

    private static final Logger LOG = Logger.getLogger(ChannelObject.class);
    private final ChannelHub hub;
    private final Topic topic;
    private final SocketScope socket; // null: not tied to a socket
    private final Executor serial;    // used when socket is null
    private final AtomicInteger pending = new AtomicInteger();
    /** What the waiting messages cost, each with its overhead (a message shared with other objects counts in full). */
    private final java.util.concurrent.atomic.AtomicLong pendingBytes = new java.util.concurrent.atomic.AtomicLong();
    // The DOM's listener rules (once, no duplicates, removal during a dispatch), shared with the runtime's sockets.
    private final ListenerSet listeners = new ListenerSet((type, event, t) -> LOG.errorf(t,
            "A \"message\" listener of BroadcastChannel '%s' threw; the channel stays open", name()));
    private volatile boolean closed;

    ChannelObject(ChannelHub hub, Topic topic, SocketScope socket, Executor serial) {
        this.hub = hub;
        this.topic = topic;
        this.socket = socket;
        this.serial = serial;
    }

    @Override
    public String name() {
        return topic.name();
    }

    @Override
    public void postMessage(String message) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        checkOpen();
        int max = hub.maxMessageSize();
        // A cheap bound first: no UTF-8 string is shorter in bytes than in chars, nor longer than 3 bytes a char.
        if (message.length() > max || (message.length() * 3L > max
                && message.getBytes(StandardCharsets.UTF_8).length > max)) {
            throw tooLarge(message.getBytes(StandardCharsets.UTF_8).length, max);
        }
        hub.post(this, topic, message);
    }

    @Override
    public void postMessage(byte[] message) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        checkOpen();
        int max = hub.maxMessageSize();
        if (message.length > max) {
            throw tooLarge(message.length, max);
        }
        hub.post(this, topic, message.clone());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("BroadcastChannel '" + name() + "' is closed: it cannot post any more.");
        }
    }

    private IllegalArgumentException tooLarge(int size, int max) {
        return new IllegalArgumentException("A message of " + size + " bytes is larger than edgesocket.channels."
                + "max-message-size (" + max + " bytes); BroadcastChannel '" + name() + "' did not post it.");
    }

    @Override
    public void addEventListener(String type, EventListener<? super MessageEvent> listener) {
        addEventListener(type, listener, ListenerOptions.DEFAULT);
    }

    @Override
    public synchronized void addEventListener(String type, EventListener<? super MessageEvent> listener,
            ListenerOptions options) {
        checkType(type);
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        if (closed) {
            return; // a closed object keeps no references to script objects
        }
        listeners.add(EventType.MESSAGE, listener, options != null && options.once());
    }

    @Override
    public void removeEventListener(String type, EventListener<? super MessageEvent> listener) {
        checkType(type);
        listeners.remove(EventType.MESSAGE, listener);
    }

    private static void checkType(String type) {
        if (!"message".equals(type)) {
            throw new IllegalArgumentException("Unknown event type '" + type
                    + "': a BroadcastChannel dispatches \"message\" only.");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            listeners.clear(); // a listener still to run in a dispatch under way is not called
        }
        hub.closed(this, topic);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Hands a message to this object's listeners in their turn. Returns false when it was dropped because
     * {@code max-pending} messages are already waiting.
     */
    boolean deliver(Shared message, int maxPending, long maxPendingBytes) {
        if (closed) {
            return true;
        }
        long cost = message.size() + Shared.OVERHEAD;
        if (pending.incrementAndGet() > maxPending || pendingBytes.addAndGet(cost) > maxPendingBytes) {
            pending.decrementAndGet();
            pendingBytes.addAndGet(-cost);
            return false;
        }
        message.hold();
        Runnable task = () -> {
            pending.decrementAndGet();
            pendingBytes.addAndGet(-cost);
            try {
                dispatch(message.data());
            } finally {
                message.done();
            }
        };
        boolean queued;
        try {
            queued = socket == null ? execute(task) : socket.runInTurn(task);
        } catch (RuntimeException e) {
            queued = false; // shutting down
        }
        if (!queued) {
            pending.decrementAndGet(); // the socket is not open (yet, or any more): nothing to deliver to
            pendingBytes.addAndGet(-cost);
            message.done();
        }
        return true;
    }

    private boolean execute(Runnable task) {
        serial.execute(task);
        return true;
    }

    private void dispatch(Object data) {
        if (closed || listeners.isEmpty()) {
            return;
        }
        listeners.dispatch(EventType.MESSAGE, new MessageEvent(data, "", "", null, List.of(), this));
    }

    @Override
    public String toString() {
        return "BroadcastChannel[" + name() + (closed ? " closed" : "") + "]";
    }
}
