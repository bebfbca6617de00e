package dev.edgesocket.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An incoming HTTP request, as a script sees it. */
public interface Request {

    /** The HTTP method, upper case ({@code GET}, {@code POST}, ...). */
    String method();

    /** The full URL the client asked for, e.g. {@code http://host:8080/echo?room=1}. */
    String url();

    /** The path without the query string. */
    String path();

    /** The raw query string without {@code ?}, or {@code ""}. */
    String query();

    /** Every query parameter with all its values, in request order. */
    Map<String, List<String>> queryParams();

    /** The first value of a query parameter. */
    Optional<String> queryParam(String name);

    /** The first value of a header; the name is case-insensitive. */
    Optional<String> header(String name);

    /** Every value of a header (several lines or comma lists kept as sent); the name is case-insensitive. */
    List<String> headers(String name);

    /** Every header, with case-insensitive keys. */
    Map<String, List<String>> headers();

    /** The client's address as {@code host:port}. */
    String remoteAddress();

    /** The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order. */
    List<String> protocols();

    /** Same as {@code upgradeWebSocket(UpgradeOptions.defaults())}. */
    default WebSocketUpgrade upgradeWebSocket() {
        return upgradeWebSocket(UpgradeOptions.defaults());
    }

    /**
     * Accepts this request as a WebSocket handshake.
     * <p>
     * Return {@link WebSocketUpgrade#response()} from {@code serve}; the socket opens once the
     * handshake completes. Throws {@link WebSocketUpgradeException} when the request is not a valid
     * handshake or the protocol was not offered, and {@link IllegalStateException} when called twice.
     */
    WebSocketUpgrade upgradeWebSocket(UpgradeOptions options);
}
