package dev.edgesocket.runtime;

import dev.edgesocket.lifecycle.Drain;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocketUpgrade;
import dev.edgesocket.api.WebSocketUpgradeException;
import dev.edgesocket.metrics.EdgesocketMetrics;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.OriginPolicy;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSettings;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * Every request to a zone's path comes here first. The script runs (off the event loop unless the
 * zone says {@code dispatch=event-loop}); its response goes back as is, or, when it returned the
 * upgrade response, the request is rerouted to the shared Jakarta endpoint with the approved socket
 * on its connection.
 */
@Singleton
public class ZoneRequestFilter {

    private static final Logger LOG = Logger.getLogger(ZoneRequestFilter.class);

    /**
     * After CORS (300) and authentication (200), before authorization (100) and before Quarkus'
     * Jakarta WebSocket handler (101), which would otherwise answer every upgrade itself.
     */
    static final int PRIORITY = 120;
    private static final String APPROVED_SOCKET = "edgesocket.approved-socket";
    private static final String UPGRADE_HEADERS = "edgesocket.upgrade-headers";
    /** Headers the handshake owns: a script's copies of them would break it, so they are not merged. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-version", "content-length",
            "transfer-encoding");

    private final ZoneRegistry zones;
    private final SocketRuntime runtime;
    private final Drain drain;
    private final EdgesocketMetrics metrics;

    private final HeaderTimeouts headerTimeouts;
    private final long maxResponseMillis;

    @Inject
    public ZoneRequestFilter(ZoneRegistry zones, SocketRuntime runtime, Drain drain, EdgesocketMetrics metrics,
            HeaderTimeouts headerTimeouts, EdgesocketConfig config) {
        this.maxResponseMillis = Math.max(1, config.maxResponseTime().toMillis());
        this.headerTimeouts = headerTimeouts;
        this.metrics = metrics;
        this.zones = zones;
        this.runtime = runtime;
        this.drain = drain;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private record Outcome(Response response, Throwable failure) {
    }

    void handle(RoutingContext rc) {
        boolean upgradeRequest = HandshakeCheck.hasToken(rc.request().headers().getAll("Upgrade"), "websocket");
        if (headerTimeouts.onRequest(rc)) {
            return;
        }
        String path = rc.request().path();
        if (UpgradeEndpoints.isInternal(path)) {
            // Undertow normalises the path before it matches its endpoint, so every spelling of the internal path
            // (//x, /./x, %75, ;params) must be caught here: only an upgrade a script approved goes through.
            continueApprovedUpgrade(rc);
            return;
        }
        Zone zone = zones.forPath(path);
        if (zone == null) {
            rc.next();
            return;
        }
        if (!upgradeRequest) {
            proceed(rc, zone, false);
            return;
        }
        if (!passesGates(rc, zone)) {
            return;
        }
        if (runtime.budget().refuseUpgrade()) {
            // Before a place and before the script: sockets already open hold more than the server's budget.
            metrics.forZone(zone).upgrade(ZoneMetrics.Outcome.REFUSED_BUDGET);
            HttpResponses.sentence(rc, 503, "The server is holding more queued messages than its budget "
                    + "(edgesocket.limits.max-queued-bytes); try again shortly.", Map.of("Retry-After", "5"));
            return;
        }
        // A place before the script runs: decided at once on a single node, one Redis round trip in cluster mode.
        CompletableFuture<Boolean> admitted = runtime.admission().tryAdmit(zone).toCompletableFuture();
        if (admitted.isDone()) {
            admitted(rc, zone, admitted.join());
            return;
        }
        Context context = Vertx.currentContext();
        admitted.whenComplete((ok, failure) -> context.runOnContext(v -> {
            boolean placeTaken = Boolean.TRUE.equals(ok);
            if (rc.response().closed()) { // the client left while the cluster was asked
                if (placeTaken) {
                    runtime.admission().release(zone);
                }
                return;
            }
            admitted(rc, zone, placeTaken);
        }));
    }

    private void admitted(RoutingContext rc, Zone zone, boolean placeTaken) {
        if (!placeTaken) {
            metrics.forZone(zone).upgrade(ZoneMetrics.Outcome.REFUSED_LIMIT);
            HttpResponses.sentence(rc, 503, "Zone '" + zone.name() + "' has reached its limit of "
                    + zone.settings().maxConnections() + " connections; try again shortly.", Map.of("Retry-After", "5"));
            return;
        }
        proceed(rc, zone, true);
    }

    /** Runs the script; {@code holdsPlace} when an upgrade request took a zone place for it. */
    private void proceed(RoutingContext rc, Zone zone, boolean holdsPlace) {
        EdgeRequest request = EdgeRequest.from(rc, zone, runtime, holdsPlace);
        Context context = Vertx.currentContext();
        if (zone.dispatch() == Dispatch.EVENT_LOOP) {
            serve(rc, request, context, false);
            return;
        }
        try {
            runtime.workers().execute(() -> serve(rc, request, context, true));
        } catch (RejectedExecutionException e) {
            request.releasePlaceIfHeld();
            HttpResponses.sentence(rc, 503, "The server is shutting down.", Map.of("Retry-After", "1"));
        }
    }

    /**
     * Runs the script and completes the request on its context: at once when the response is already there
     * (no hop when {@code onContext}), else when the script's stage completes, or at the response deadline.
     */
    private void serve(RoutingContext rc, EdgeRequest request, Context context, boolean offContext) {
        CompletableFuture<Response> stage;
        try {
            CompletionStage<Response> answer = request.zone().script().serveAsync(request);
            stage = answer == null ? CompletableFuture.completedFuture(null) : answer.toCompletableFuture();
        } catch (Throwable t) {
            finish(rc, request, context, offContext, new Outcome(null, t));
            return;
        }
        if (stage.isDone()) {
            finish(rc, request, context, offContext, outcome(stage));
            return;
        }
        context.runOnContext(v -> awaitLater(rc, request, context, stage));
    }

    private void finish(RoutingContext rc, EdgeRequest request, Context context, boolean offContext, Outcome outcome) {
        if (offContext) {
            context.runOnContext(v -> complete(rc, request, outcome));
        } else {
            complete(rc, request, outcome);
        }
    }

    private static Outcome outcome(CompletableFuture<Response> done) {
        try {
            return new Outcome(done.join(), null);
        } catch (CompletionException e) {
            return new Outcome(null, e.getCause() != null ? e.getCause() : e);
        } catch (Throwable t) {
            return new Outcome(null, t);
        }
    }

    /** On the request's context: the response comes when the stage completes, or 503 at the deadline. */
    private void awaitLater(RoutingContext rc, EdgeRequest request, Context context, CompletableFuture<Response> stage) {
        boolean[] answered = new boolean[1]; // touched on the request's context only
        long timer = context.owner().setTimer(maxResponseMillis, id -> {
            if (answered[0]) {
                return;
            }
            answered[0] = true;
            LOG.errorf("The script of zone '%s' did not answer %s %s within %d ms (edgesocket.max-response-time)",
                    request.zone().name(), request.method(), request.path(), maxResponseMillis);
            abandon(request, ZoneMetrics.Outcome.REJECTED_BY_SCRIPT);
            if (!rc.response().closed()) {
                HttpResponses.sentence(rc, 503, "The zone's script did not answer in time; try again.",
                        Map.of("Retry-After", "1"));
            }
        });
        stage.whenComplete((response, failure) -> context.runOnContext(v -> {
            if (answered[0]) {
                // Too late: a socket the script got from upgradeWebSocket() meanwhile never opens.
                abandon(request, null);
                return;
            }
            answered[0] = true;
            context.owner().cancelTimer(timer);
            if (rc.response().closed()) { // the client left while the script worked: nothing to count
                abandon(request, null);
                return;
            }
            complete(rc, request, outcome(stage));
        }));
    }

    /**
     * The request ends without its socket: a socket the script got never opens, and the place goes back,
     * counted under {@code counted} (null: not counted, the client is gone).
     */
    private void abandon(EdgeRequest request, ZoneMetrics.Outcome counted) {
        WebSocketUpgrade upgrade = request.upgrade();
        if (upgrade != null) {
            ((EdgeWebSocket) upgrade.socket()).neverOpened();
        }
        if (request.releasePlaceIfHeld() && counted != null) {
            metrics.forZone(request.zone()).upgrade(counted);
        }
    }

    /** The zone's gates for upgrades that need no count, before the script runs and before any handshake. */
    private boolean passesGates(RoutingContext rc, Zone zone) {
        if (drain.draining()) {
            HttpResponses.sentence(rc, 503, "The server is shutting down; connect again to reach another instance.",
                    Map.of("Retry-After", "1"));
            return false;
        }
        if (!zone.settings().enabled()) {
            zone.countRefusedDisabled();
            metrics.forZone(zone).upgrade(ZoneMetrics.Outcome.REFUSED_DISABLED);
            HttpResponses.sentence(rc, 403, "WebSockets are disabled for zone '" + zone.name() + "'.", Map.of());
            return false;
        }
        String origin = rc.request().getHeader("Origin");
        ZoneSettings settings = zone.settings();
        if (origin == null ? settings.requireOrigin() : !OriginPolicy.allows(settings.allowedOrigins(), origin)) {
            // Before the script and before a place: a page on another site cannot open a socket with the user's cookies.
            zone.countRefusedOrigin();
            metrics.forZone(zone).upgrade(ZoneMetrics.Outcome.REFUSED_ORIGIN);
            HttpResponses.sentence(rc, 403, origin == null
                    ? "Zone '" + zone.name() + "' accepts WebSocket upgrades only from browsers that send an Origin header."
                    : "The origin " + origin + " may not open WebSockets in zone '" + zone.name() + "'.", Map.of());
            return false;
        }
        return true;
    }

    private void complete(RoutingContext rc, EdgeRequest request, Outcome outcome) {
        Zone zone = request.zone();
        WebSocketUpgrade upgrade = request.upgrade();
        if (upgrade != null && outcome.response() != null && outcome.response().status() == 101) {
            // The upgrade response, or a copy of it with headers added (Response is immutable, so withHeader
            // returns a copy): the added headers go into the handshake's 101.
            EdgeWebSocket socket = (EdgeWebSocket) upgrade.socket();
            request.handPlaceTo(socket);
            rc.put(APPROVED_SOCKET, socket);
            rc.put(UPGRADE_HEADERS, outcome.response().headers());
            rc.reroute(UpgradeEndpoints.PATH);
            return;
        }
        // Anything but the upgrade: the place taken for it goes back at once, and a socket the script got
        // from upgradeWebSocket() never opens (what was tied to it, such as its channels, is let go).
        abandon(request, outcome.failure() instanceof WebSocketUpgradeException
                ? ZoneMetrics.Outcome.BAD_REQUEST : ZoneMetrics.Outcome.REJECTED_BY_SCRIPT);
        if (outcome.failure() instanceof WebSocketUpgradeException refused) {
            HttpResponses.sentence(rc, refused.status(), refused.getMessage(), refused.headers());
            return;
        }
        if (outcome.failure() != null) {
            LOG.errorf(outcome.failure(), "The script of zone '%s' failed on %s %s", zone.name(), request.method(),
                    request.path());
            HttpResponses.sentence(rc, 500, "The zone's script failed; the server log has the details.", Map.of());
            return;
        }
        Response response = outcome.response();
        if (response == null) {
            LOG.errorf("The script of zone '%s' returned no response to %s %s", zone.name(), request.method(),
                    request.path());
            HttpResponses.sentence(rc, 500, "The zone's script returned no response.", Map.of());
            return;
        }
        if (response.status() == 101) {
            LOG.errorf("The script of zone '%s' answered %s %s with a 101 of its own; only the response of "
                    + "upgradeWebSocket() switches protocols", zone.name(), request.method(), request.path());
            HttpResponses.sentence(rc, 500, "The zone's script answered 101 without upgrading the request.", Map.of());
            return;
        }
        HttpResponses.write(rc, response);
    }

    private void continueApprovedUpgrade(RoutingContext rc) {
        EdgeWebSocket socket = rc.get(APPROVED_SOCKET);
        if (socket == null) {
            HttpResponses.sentence(rc, 404, "There is nothing at " + UpgradeEndpoints.PATH + ".", Map.of());
            return;
        }
        rc.remove(APPROVED_SOCKET);
        List<Map.Entry<String, String>> added = rc.get(UPGRADE_HEADERS);
        if (added != null) {
            for (Map.Entry<String, String> header : added) {
                if (!HANDSHAKE_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    rc.response().headers().add(header.getKey(), header.getValue());
                }
            }
        }
        if (!socket.protocol().isEmpty()) {
            rc.response().headers().set("Sec-WebSocket-Protocol", socket.protocol());
        }
        if (socket.deflate() != null) {
            rc.response().headers().set(PerMessageDeflate.HEADER, socket.deflate().response());
        }
        Channel channel = ((ConnectionBase) rc.request().connection()).channel();
        if (!channel.isActive()) {
            // The client left while the script ran: there is no handshake to complete, and Undertow would
            // fail on the dead connection's pipeline ("NoSuchElementException: httpDecoder").
            socket.abandonIfUnbound();
            return;
        }
        channel.attr(SessionBridge.PENDING_SOCKET).set(socket);
        // If the connection ends before the handshake completes, the socket closes and gives its place back.
        GenericFutureListener<Future<? super Void>> onConnectionEnd = f -> socket.abandonIfUnbound();
        channel.closeFuture().addListener(onConnectionEnd);
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 101) {
                // Vert.x adds Content-Length: 0 to a response ended without a body, which RFC 9110 (8.6) forbids in
                // a 1xx; Undertow's handshake adds Hixie-76's Sec-WebSocket-Location, which no RFC 6455 client reads
                // and which would name the internal path. Both were set before this runs, and the head is not
                // written yet.
                rc.response().headers().remove("Content-Length").remove("Sec-WebSocket-Location");
                return;
            }
            // Undertow refused the handshake and the connection may go on with HTTP: nothing of this
            // socket may stay on it, and its place goes back now.
            channel.attr(SessionBridge.PENDING_SOCKET).compareAndSet(socket, null);
            channel.closeFuture().removeListener(onConnectionEnd);
            socket.abandonIfUnbound();
        });
        rc.next();
    }
}
