package dev.edgesocket.runtime;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Event;
import dev.edgesocket.api.EventType;
import dev.edgesocket.events.ListenerSet;

/**
 * Delivers one socket's events to the script's listeners, in order, on the socket's {@link EventExecutor} (the
 * zone's dispatch); and keeps what other parts tied to the socket's end ({@code SocketScope.whenClosed}), run once
 * after the {@code close} listeners.
 */
final class SocketEvents {

    private static final Logger LOG = Logger.getLogger(SocketEvents.class);

    private final String socketId;
    private final ListenerSet listeners = new ListenerSet();
    /** Set once, on the event loop, before the first event: when the socket is bound, or abandoned unbound. */
    private volatile EventExecutor executor;
    // What other parts tied to this socket's end; null until the first, and once ended. Guarded by listeners.
    private List<Runnable> whenClosed;
    private boolean ended;

    SocketEvents(String socketId) {
        this.socketId = socketId;
    }

    ListenerSet listeners() {
        return listeners;
    }

    void start(EventExecutor events) {
        this.executor = events;
    }

    EventExecutor executor() {
        return executor;
    }

    /** Runs {@code task} in the socket's order of events. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    void raise(EventType<?> type, Event event) {
        // Listeners are looked up when the event runs, not now: an "open" listener still queued may
        // add the "message" listener for the frames arriving behind it.
        executor.execute(() -> listeners.dispatch(type, event));
    }

    /** Raises {@code close}, then ends: nothing of the script stays reachable, and what was tied to the socket ends. */
    void raiseLast(EventType<?> type, Event event) {
        raise(type, event);
        executor.execute(() -> {
            listeners.clear();
            runWhenClosed();
        });
    }

    void whenClosed(Runnable action) {
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

    /** Runs, once, what was tied to the socket's end. */
    void runWhenClosed() {
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
                    LOG.warnf(e, "A close action of socket %s failed", socketId);
                }
            }
        }
    }
}
