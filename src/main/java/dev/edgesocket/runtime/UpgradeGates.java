package dev.edgesocket.runtime;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.lifecycle.Drain;
import dev.edgesocket.zone.OriginPolicy;
import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;
import io.vertx.core.http.HttpServerRequest;

/**
 * The gates every WebSocket upgrade passes, in order, before its script runs and before admission: each refusal
 * comes from here, with its status, its sentence and its counted outcome. A new gate (a rate limit, say) is one
 * more entry in {@link #gates}.
 */
@Singleton
class UpgradeGates {

    private final List<UpgradeGate> gates;

    @Inject
    UpgradeGates(Drain drain, SocketRuntime runtime) {
        this.gates = List.of(draining(drain), toggle(), origin(), budget(runtime.budget()));
    }

    /** The first refusal of the gates, in order, or null when the request passes them all. */
    Refusal check(Zone zone, HttpServerRequest request) {
        for (UpgradeGate gate : gates) {
            Refusal refusal = gate.check(zone, request);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** The zone is full: what admission's refusal answers. */
    static Refusal full(Zone zone) {
        return new Refusal(503, "Zone '" + zone.name() + "' has reached its limit of "
                + zone.settings().maxConnections() + " connections; try again shortly.", Map.of("Retry-After", "5"),
                UpgradeOutcome.REFUSED_LIMIT);
    }

    /** A draining server takes no new sockets (and counts nothing: the zone did not refuse). */
    static UpgradeGate draining(Drain drain) {
        Refusal refusal = new Refusal(503, "The server is shutting down; connect again to reach another instance.",
                Map.of("Retry-After", "1"), null);
        return (zone, request) -> drain.draining() ? refusal : null;
    }

    static UpgradeGate toggle() {
        return (zone, request) -> zone.settings().enabled() ? null : new Refusal(403,
                "WebSockets are disabled for zone '" + zone.name() + "'.", Map.of(), UpgradeOutcome.REFUSED_DISABLED);
    }

    /** A page on another site cannot open a socket with the user's cookies. */
    static UpgradeGate origin() {
        return (zone, request) -> {
            String origin = request.getHeader("Origin");
            ZoneSettings settings = zone.settings();
            if (origin == null ? !settings.requireOrigin() : OriginPolicy.allows(settings.allowedOrigins(), origin)) {
                return null;
            }
            return new Refusal(403, origin == null
                    ? "Zone '" + zone.name() + "' accepts WebSocket upgrades only from browsers that send an Origin header."
                    : "The origin " + origin + " may not open WebSockets in zone '" + zone.name() + "'.", Map.of(),
                    UpgradeOutcome.REFUSED_ORIGIN);
        };
    }

    /** Sockets already open hold more than the server's budget of queued bytes. */
    static UpgradeGate budget(QueueBudget budget) {
        Refusal refusal = new Refusal(503, "The server is holding more queued messages than its budget "
                + "(edgesocket.limits.max-queued-bytes); try again shortly.", Map.of("Retry-After", "5"),
                UpgradeOutcome.REFUSED_BUDGET);
        return (zone, request) -> budget.refuseUpgrade() ? refusal : null;
    }
}
