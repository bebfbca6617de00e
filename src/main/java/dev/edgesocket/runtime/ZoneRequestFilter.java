package dev.edgesocket.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.origin.HttpProxy;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Place;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Every HTTP request comes here first, and goes through the steps of the request path in order: the header
 * deadline's hook, the guard of the internal upgrade path, routing to a zone; then, for a WebSocket upgrade, the
 * zone's gates ({@link UpgradeGates}) and admission, which yields a {@link Place}; then the script
 * ({@link ScriptCall}), whose approved upgrade ends in the {@link JakartaHandOff}.
 */
@Singleton
public class ZoneRequestFilter {

    /**
     * After CORS (300) and authentication (200), before authorization (100) and before Quarkus'
     * Jakarta WebSocket handler (101), which would otherwise answer every upgrade itself.
     */
    static final int PRIORITY = 120;

    private final ZoneRegistry zones;
    private final SocketRuntime runtime;
    private final UpgradeGates gates;
    private final ScriptCall scripts;
    private final HeaderTimeouts headerTimeouts;
    private final HttpProxy httpProxy;
    private final OriginUpgrade originUpgrade;

    @Inject
    public ZoneRequestFilter(ZoneRegistry zones, SocketRuntime runtime, UpgradeGates gates, ScriptCall scripts,
            HeaderTimeouts headerTimeouts, HttpProxy httpProxy, OriginUpgrade originUpgrade) {
        this.httpProxy = httpProxy;
        this.originUpgrade = originUpgrade;
        this.zones = zones;
        this.runtime = runtime;
        this.gates = gates;
        this.scripts = scripts;
        this.headerTimeouts = headerTimeouts;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
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
            JakartaHandOff.continueApproved(rc);
            return;
        }
        Zone zone = zones.route(rc.request().authority() == null ? null : rc.request().authority().host(), path);
        if (zone == null) {
            rc.next();
            return;
        }
        OriginSettings origin = zone.origin();
        if (origin != null && OriginSettings.hasDotSegment(path)) {
            HttpResponses.sentence(rc, 400, "The path holds a '.' or '..' segment; send it resolved.", Map.of());
            return;
        }
        if (!upgradeRequest) {
            if (zone.script() == null) { // a Pull Zone: the origin answers
                httpProxy.forward(rc, zone, origin);
            } else {
                scripts.run(rc, zone, Place.none());
            }
            return;
        }
        Refusal refusal = gates.check(zone, rc.request());
        if (refusal != null) {
            refusal.answer(rc, zone);
            return;
        }
        admit(rc, zone, origin);
    }

    /** A place before the script runs: decided at once on a single node, one Redis round trip in cluster mode. */
    private void admit(RoutingContext rc, Zone zone, OriginSettings origin) {
        CompletableFuture<Place> admitted = runtime.admission().tryAdmit(zone).toCompletableFuture();
        if (admitted.isDone()) {
            admitted(rc, zone, origin, admitted.join());
            return;
        }
        Context context = Vertx.currentContext();
        admitted.whenComplete((place, failure) -> context.runOnContext(v -> {
            Place granted = place == null ? Place.none() : place;
            if (rc.response().closed()) { // the client left while the cluster was asked
                granted.release();
                return;
            }
            admitted(rc, zone, origin, granted);
        }));
    }

    private void admitted(RoutingContext rc, Zone zone, OriginSettings origin, Place place) {
        if (!place.isHeld()) {
            UpgradeGates.full(zone).answer(rc, zone);
            return;
        }
        if (zone.script() == null) { // a Pull Zone: the origin's socket first, then the client's
            originUpgrade.run(rc, zone, origin, place);
        } else {
            scripts.run(rc, zone, place);
        }
    }
}
