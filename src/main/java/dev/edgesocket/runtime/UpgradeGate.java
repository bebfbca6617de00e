package dev.edgesocket.runtime;

import dev.edgesocket.zone.Zone;
import io.vertx.core.http.HttpServerRequest;

/**
 * One of a zone's switches that an upgrade request passes before its script runs and before it takes a place
 * (the drain, the toggle, the origin check, the server's budget). Runs on the event loop and must not block.
 */
@FunctionalInterface
interface UpgradeGate {

    /** Null to let the request through, else why it is refused. */
    Refusal check(Zone zone, HttpServerRequest request);
}
