package dev.edgesocket.api;

/**
 * What {@link Request#upgradeWebSocket()} returns: the response the script must return, and the
 * socket it can wire up before returning it.
 */
public record WebSocketUpgrade(Response response, WebSocket socket) {
}
