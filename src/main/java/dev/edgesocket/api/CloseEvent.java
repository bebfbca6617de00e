package dev.edgesocket.api;

/**
 * The socket is closed. Fires exactly once per socket, whoever closed it.
 *
 * @param code     the close code from the close frame received (1005 when it had none), or 1006
 *                 when the connection was lost without one
 * @param reason   the close reason, or {@code ""}
 * @param wasClean true only when close frames were exchanged
 */
public record CloseEvent(int code, String reason, boolean wasClean, WebSocket target) implements Event {

    @Override
    public String type() {
        return "close";
    }
}
