package dev.edgesocket.api;

/**
 * A script: receives every HTTP request of its zone, as Bunny's Edge Scripting runtime does.
 * <p>
 * Implement it as a CDI bean named with {@code @Named("...")} and point a zone at that name
 * ({@code edgesocket.zones."<zone>".script}). To accept a WebSocket, call
 * {@link Request#upgradeWebSocket()}, wire the returned socket and return its response.
 */
@FunctionalInterface
public interface EdgeScript {

    /**
     * Answers one request. Runs on a worker thread unless the zone opts into
     * {@code dispatch=event-loop}. An exception that escapes gives the client 500, except the
     * {@link WebSocketUpgradeException} thrown by {@code upgradeWebSocket}, which gives its own status.
     */
    Response serve(Request request) throws Exception;
}
