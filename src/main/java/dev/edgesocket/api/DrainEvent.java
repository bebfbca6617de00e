package dev.edgesocket.api;

/**
 * The socket's write queue drained: {@link WebSocket#writeQueueFull()} was true and
 * {@link WebSocket#bufferedAmount()} has fallen to a quarter of the zone's {@code max-buffered-amount}.
 * A script that paused sending because the queue was full resumes here (Vert.x's drain handler,
 * Node's {@code "drain"}).
 */
public record DrainEvent(WebSocket target) implements Event {

    @Override
    public String type() {
        return "drain";
    }
}
