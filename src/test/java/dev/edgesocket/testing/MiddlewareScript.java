package dev.edgesocket.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;

/**
 * A middleware script in front of the Node origin (zones mw and mw-loop): it refuses some requests itself, adds a
 * header the origin reads and removes the cookie, and changes the origin's response on its way out.
 */
@Singleton
@Named("middleware")
public class MiddlewareScript implements EdgeScript {

    @Override
    public Response serve(Request request) {
        throw new UnsupportedOperationException("serveAsync answers");
    }

    @Override
    public CompletionStage<Response> serveAsync(Request request) {
        if (request.path().endsWith("/deny")) {
            return CompletableFuture.completedFuture(Response.text(401, "denied by the middleware"));
        }
        if (request.header("Upgrade").isPresent()) {
            if (request.queryParam("token").isEmpty()) {
                return CompletableFuture.completedFuture(Response.text(401, "a token, please"));
            }
            return request.withHeader("X-User", "u1").forwardToOrigin();
        }
        if (request.path().endsWith("/replace")) {
            return request.forwardToOrigin().thenApply(r -> r.withBody("replaced: " + r.status()));
        }
        if (request.path().endsWith("/twice")) {
            return request.forwardToOrigin().thenCompose(r -> request.forwardToOrigin());
        }
        return request.withHeader("X-User", "u1").withoutHeader("Cookie").forwardToOrigin()
                .thenApply(r -> r.withHeader("X-Edge", "mw").withoutHeader("X-Origin")
                        // Where the script goes on: a worker in a worker zone, the event loop in an event-loop zone.
                        .withHeader("X-Continued-On-Event-Loop",
                                String.valueOf(Thread.currentThread().getName().contains("eventloop"))));
    }
}
