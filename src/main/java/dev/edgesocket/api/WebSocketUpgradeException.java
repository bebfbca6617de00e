package dev.edgesocket.api;

import java.util.Map;

/**
 * Thrown by {@code upgradeWebSocket} when the request cannot become a WebSocket. If the script
 * lets it escape, the client gets {@link #status()} with {@link #headers()} and the message as a
 * plain-text body.
 */
public class WebSocketUpgradeException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public WebSocketUpgradeException(int status, String message) {
        this(status, message, Map.of());
    }

    public WebSocketUpgradeException(int status, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    /** The HTTP status the client gets: 426 or 400. */
    public int status() {
        return status;
    }

    /** Extra response headers, e.g. {@code Upgrade: websocket} or {@code Sec-WebSocket-Version: 13}. */
    public Map<String, String> headers() {
        return headers;
    }
}
