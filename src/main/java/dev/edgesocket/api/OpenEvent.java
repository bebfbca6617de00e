package dev.edgesocket.api;

/** The handshake completed; the socket is {@link ReadyState#OPEN} and may send. */
public record OpenEvent(WebSocket target) implements Event {

    @Override
    public String type() {
        return "open";
    }
}
