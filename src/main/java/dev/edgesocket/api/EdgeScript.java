package dev.edgesocket.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Answers one request with a response that may come later; the server calls this one. By default it is
     * {@link #serve(Request)}'s response, already there. A script that overrides it returns a stage that
     * completes when its answer is known (it must not block its thread meanwhile); the request waits for it at
     * most {@code edgesocket.max-response-time}. The stage may complete on any thread; an exception it completes
     * with counts as one thrown by {@code serve}. If the stage returns {@code upgradeWebSocket()}'s response,
     * the socket opens then, as it would have at once.
     */
    default CompletionStage<Response> serveAsync(Request request) throws Exception {
        return CompletableFuture.completedFuture(serve(request));
    }
}
