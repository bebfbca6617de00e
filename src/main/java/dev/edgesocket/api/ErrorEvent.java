package dev.edgesocket.api;

/**
 * Something went wrong with the connection (lost, protocol violation, no pong); a {@link CloseEvent}
 * follows.
 *
 * @param message a sentence saying what happened
 * @param error   the cause, for Java users; may be {@code null}
 */
public record ErrorEvent(String message, Throwable error, WebSocket target) implements Event {

    @Override
    public String type() {
        return "error";
    }
}
