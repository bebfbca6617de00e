package dev.edgesocket.events;

import java.util.Arrays;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Event;
import dev.edgesocket.api.EventListener;
import dev.edgesocket.api.EventType;

/**
 * An event target's listeners (a socket's, a channel object's), copy-on-write: dispatch reads one array without
 * a lock, while scripts may add and remove listeners from any thread. DOM rules: adding a listener twice to one
 * type is a no-op, a {@code once} listener is removed before it runs, a listener removed during a dispatch is
 * not called, and a throwing listener does not stop the others. The rules live here once, for every target;
 * this room imports nothing but {@code api}.
 */
public final class ListenerSet {

    private static final Logger LOG = Logger.getLogger(ListenerSet.class);
    private static final Registration[] NONE = new Registration[0];

    private static final class Registration {
        final int type;
        final EventListener<?> listener;
        final boolean once;
        volatile boolean removed;

        Registration(int type, EventListener<?> listener, boolean once) {
            this.type = type;
            this.listener = listener;
            this.once = once;
        }
    }

    /** What a target says when one of its listeners threw (the others still run). */
    public interface Thrown {
        void report(EventType<?> type, Event event, Throwable t);
    }

    private volatile Registration[] registrations = NONE;
    private final Thrown thrown;

    /** A socket's listeners: a listener that throws is logged, and the socket stays open. */
    public ListenerSet() {
        this((type, event, t) -> LOG.errorf(t, "A \"%s\" listener of %s threw; the socket stays open", type.name(),
                event.target()));
    }

    public ListenerSet(Thrown thrown) {
        this.thrown = thrown;
    }

    public synchronized void add(EventType<?> type, EventListener<?> listener, boolean once) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Registration[] current = registrations;
        for (Registration r : current) {
            if (r.type == type.ordinal() && r.listener == listener) {
                return;
            }
        }
        Registration[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Registration(type.ordinal(), listener, once);
        registrations = next;
    }

    public synchronized void remove(EventType<?> type, EventListener<?> listener) {
        Registration[] current = registrations;
        for (int i = 0; i < current.length; i++) {
            if (current[i].type == type.ordinal() && current[i].listener == listener) {
                removeAt(current, i);
                return;
            }
        }
    }

    private synchronized boolean removeRegistration(Registration r) {
        Registration[] current = registrations;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == r) {
                removeAt(current, i);
                return true;
            }
        }
        return false;
    }

    private void removeAt(Registration[] current, int i) {
        current[i].removed = true;
        if (current.length == 1) {
            registrations = NONE;
            return;
        }
        Registration[] next = new Registration[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        registrations = next;
    }

    /** Clears every listener: a closed socket keeps no references to script objects. */
    public synchronized void clear() {
        for (Registration r : registrations) {
            r.removed = true;
        }
        registrations = NONE;
    }

    /** True when no listener is registered (a dispatch would do nothing). */
    public boolean isEmpty() {
        return registrations.length == 0;
    }

    @SuppressWarnings("unchecked")
    public void dispatch(EventType<?> type, Event event) {
        for (Registration r : registrations) {
            if (r.type != type.ordinal() || r.removed) {
                continue;
            }
            if (r.once && !removeRegistration(r)) {
                continue;
            }
            try {
                ((EventListener<Event>) r.listener).handleEvent(event);
            } catch (Throwable t) {
                thrown.report(type, event, t);
            }
        }
    }
}
