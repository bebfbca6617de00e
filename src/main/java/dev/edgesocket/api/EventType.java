package dev.edgesocket.api;

import java.util.Locale;

/**
 * The event types, typed: {@code socket.addEventListener(EventType.MESSAGE, e -> e.data())}
 * gives the listener a {@link MessageEvent} without a cast.
 */
public final class EventType<E extends Event> {

    public static final EventType<OpenEvent> OPEN = new EventType<>("open", OpenEvent.class, 0);
    public static final EventType<MessageEvent> MESSAGE = new EventType<>("message", MessageEvent.class, 1);
    public static final EventType<CloseEvent> CLOSE = new EventType<>("close", CloseEvent.class, 2);
    public static final EventType<ErrorEvent> ERROR = new EventType<>("error", ErrorEvent.class, 3);
    /** edgesocket's addition (Vert.x's drain handler): the write queue drained after {@link WebSocket#writeQueueFull()}. */
    public static final EventType<DrainEvent> DRAIN = new EventType<>("drain", DrainEvent.class, 4);

    private final String name;
    private final Class<E> eventClass;
    private final int ordinal;

    private EventType(String name, Class<E> eventClass, int ordinal) {
        this.name = name;
        this.eventClass = eventClass;
        this.ordinal = ordinal;
    }

    /**
     * The type for a doc string ({@code "open"}, {@code "message"}, {@code "close"}, {@code "error"}, {@code "drain"}).
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
                case "drain": return DRAIN;
                default: break;
            }
        }
        throw new IllegalArgumentException("Unknown event type '" + name
                + "': a WebSocket dispatches \"open\", \"message\", \"close\", \"error\" and \"drain\".");
    }

    public String name() {
        return name;
    }

    public Class<E> eventClass() {
        return eventClass;
    }

    /** A dense index (0-4), for the runtime's per-type tables. */
    public int ordinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT);
    }
}
