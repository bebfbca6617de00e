package dev.edgesocket.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocketUpgradeException;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.origin.HttpProxy;
import dev.edgesocket.origin.OriginBody;
import dev.edgesocket.origin.OriginCall;
import dev.edgesocket.origin.OriginMeters;
import dev.edgesocket.origin.WebSocketDialer;
import dev.edgesocket.origin.WebSocketDialer.Connected;
import dev.edgesocket.origin.WebSocketDialer.Failed;
import dev.edgesocket.origin.WebSocketDialer.Refused;
import dev.edgesocket.origin.WebSocketRelay;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Zone;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * A middleware script's way to its zone's origin ({@code Request.forwardToOrigin()}), and what becomes of the
 * origin's answers: a body streamed to the client or let go, an origin socket joined to the client's or closed.
 */
@Singleton
class OriginForwarding {

    private final HttpProxy proxy;
    private final WebSocketDialer dialer;
    private final OriginMeters meters;
    private final Vertx vertx;
    private final SocketRuntime runtime;

    @Inject
    OriginForwarding(HttpProxy proxy, WebSocketDialer dialer, OriginMeters meters, Vertx vertx, SocketRuntime runtime) {
        this.proxy = proxy;
        this.dialer = dialer;
        this.meters = meters;
        this.vertx = vertx;
        this.runtime = runtime;
    }

    /**
     * Sends a script's request to the origin, on the request's event loop. The stage completes on a worker in a
     * zone with {@code dispatch=worker} (the script's code that follows must not run on the event loop), at once
     * in an event-loop zone.
     */
    CompletionStage<Response> forward(EdgeRequest request, OriginSettings origin) {
        EdgeRequest.Exchange exchange = request.exchange();
        Zone zone = request.zone();
        CompletableFuture<Response> result = new CompletableFuture<>();
        exchange.context.runOnContext(v -> {
            HttpServerRequest in = exchange.rc.request();
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            request.headers().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
            OriginCall call = new OriginCall(in, HttpMethod.valueOf(request.method()), HttpProxy.rawPathAndQuery(in), headers);
            Future<Response> answer;
            if (HandshakeCheck.hasToken(request.headers("Upgrade"), "websocket")) {
                try {
                    HandshakeCheck.check(request);
                } catch (WebSocketUpgradeException e) {
                    settle(zone, result, null, e);
                    return;
                }
                int maxMessage = (int) Math.min(Integer.MAX_VALUE, zone.settings().maxMessageSize());
                answer = dialer.dial(call, zone, origin, request.protocols(), maxMessage).map(dialed -> switch (dialed) {
                    case Connected connected -> Response.streamed(101, List.of(), connected);
                    case Refused refused -> refused.toResponse(in.version());
                    case Failed failed -> Response.text(failed.status(), failed.sentence() + "\n");
                });
            } else {
                answer = proxy.fetch(call, zone, origin);
            }
            answer.onComplete(done -> {
                Response response = done.result();
                if (response.streamedBody() != null) {
                    boolean late;
                    synchronized (exchange) {
                        late = exchange.ended;
                        if (!late) {
                            exchange.fromOrigin.add(response.streamedBody());
                        }
                    }
                    if (late) { // the request was answered or given up meanwhile: nobody will write this
                        release(response.streamedBody());
                    }
                }
                settle(zone, result, response, done.cause());
            });
        });
        return result;
    }

    private void settle(Zone zone, CompletableFuture<Response> result, Response response, Throwable failure) {
        Runnable complete = () -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(response);
            }
        };
        if (zone.dispatch() != Dispatch.WORKER) {
            complete.run();
            return;
        }
        try {
            runtime.workers().execute(complete);
        } catch (RejectedExecutionException e) {
            complete.run(); // shutting down: nobody runs scripts any more
        }
    }

    /**
     * The script answered: everything it got from the origin but {@code kept} (the body or socket it returned) is
     * let go. On the request's event loop.
     */
    static void letGo(EdgeRequest.Exchange exchange, Response.Streamed kept) {
        List<Response.Streamed> got;
        synchronized (exchange) {
            got = List.copyOf(exchange.fromOrigin);
            exchange.fromOrigin.clear();
            exchange.ended = true;
        }
        for (Response.Streamed streamed : got) {
            if (streamed != kept) {
                release(streamed);
            }
        }
        HttpServerRequest in = exchange.rc.request();
        if (!exchange.forwarded && !in.isEnded()) {
            in.resume(); // a body nobody forwarded is read and dropped, so the connection can go on
        }
    }

    private static void release(Response.Streamed streamed) {
        if (streamed instanceof OriginBody body) {
            body.discard();
        } else if (streamed instanceof Connected connected) {
            connected.socket().close((short) 1001, "Going away");
        }
    }

    /** The client's socket for an origin socket the script returned, joined to it; handed to Jakarta by the caller. */
    EdgeWebSocket join(EdgeRequest request, Connected connected, OriginSettings origin) {
        Zone zone = request.zone();
        EdgeWebSocket socket = request.upgradeForOrigin(connected.protocol());
        WebSocketRelay.join(socket, new RelayReads(socket), connected.socket(), vertx, zone.settings().idleTimeout(),
                meters.forZone(zone.name()), origin == null ? "(removed meanwhile)" : origin.url().toString());
        return socket;
    }
}
