package dev.edgesocket.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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

    /**
     * A copy of this request with a header set, every earlier line of that name replaced: what a middleware
     * script passes to its origin ({@link #forwardToOrigin()}).
     *
     * @throws IllegalArgumentException when the name is not an HTTP token or the value holds a control character
     */
    Request withHeader(String name, String value);

    /** A copy of this request without a header (the name is case-insensitive). */
    Request withoutHeader(String name);

    /**
     * Sends this request, as it is now, to the zone's origin: the way a middleware script (a zone with both
     * {@code script} and {@code origin.url}) passes a request on. The request's body, if any, streams to the origin.
     * The stage completes with:
     * <ul>
     * <li>the origin's response, whose body streams through to the client when it is returned (its status and
     * headers may be changed with {@code with...}; {@link Response#withBody} replaces the body);
     * <li>for a WebSocket upgrade the origin accepted, a {@code 101} response: returned, it joins the client's socket
     * to the origin's, message by message; for one the origin refused, the origin's answer;
     * <li>{@code 502} or {@code 504} with a sentence when the origin cannot be reached or does not answer in time.
     * </ul>
     * A request is forwarded once. In a zone without an origin the stage fails with {@link IllegalStateException}.
     */
    CompletionStage<Response> forwardToOrigin();

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
