package dev.edgesocket.api;

import java.util.Locale;

/**
 * The four event types, typed: {@code socket.addEventListener(EventType.MESSAGE, e -> e.data())}
 * gives the listener a {@link MessageEvent} without a cast.
 */
public final class EventType<E extends Event> {

    public static final EventType<OpenEvent> OPEN = new EventType<>("open", OpenEvent.class, 0);
    public static final EventType<MessageEvent> MESSAGE = new EventType<>("message", MessageEvent.class, 1);
    public static final EventType<CloseEvent> CLOSE = new EventType<>("close", CloseEvent.class, 2);
    public static final EventType<ErrorEvent> ERROR = new EventType<>("error", ErrorEvent.class, 3);

    private final String name;
    private final Class<E> eventClass;
    private final int ordinal;

    private EventType(String name, Class<E> eventClass, int ordinal) {
        this.name = name;
        this.eventClass = eventClass;
        this.ordinal = ordinal;
    }

    /**
     * The type for a doc string ({@code "open"}, {@code "message"}, {@code "close"}, {@code "error"}).
     *
     * @throws IllegalArgumentException for any other string
     */
    public static EventType<? extends Event> of(String name) {
        if (name != null) {
            switch (name) {
                case "open": return OPEN;
                case "message": return MESSAGE;
                case "close": return CLOSE;
                case "error": return ERROR;
                default: break;
            }
        }
        throw new IllegalArgumentException("Unknown event type '" + name
                + "': a WebSocket dispatches \"open\", \"message\", \"close\" and \"error\".");
    }

    public String name() {
        return name;
    }

    public Class<E> eventClass() {
        return eventClass;
    }

    /** A dense index (0-3), for the runtime's per-type tables. */
    public int ordinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT);
    }
}
