package dev.edgesocket.runtime;

import java.util.Map;

import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import io.vertx.ext.web.RoutingContext;

/**
 * A request the server answers itself, before the script: a status, the plain sentence that says why, extra headers
 * (such as {@code Retry-After}) and the outcome it counts, if any (a drain's 503 counts none).
 */
record Refusal(int status, String sentence, Map<String, String> headers, UpgradeOutcome outcome) {

    /** Counts the outcome in the zone and answers the client. */
    void answer(RoutingContext rc, Zone zone) {
        if (outcome != null) {
            zone.count(outcome);
        }
        HttpResponses.sentence(rc, status, sentence, headers);
    }
}
