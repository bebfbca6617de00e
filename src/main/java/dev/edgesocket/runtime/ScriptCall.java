package dev.edgesocket.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Response;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.Place;
import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs a zone's script for a request, off the event loop unless the zone says {@code dispatch=event-loop}, and
 * delivers its answer on the request's context: at once when the answer is already there, else when the
 * script's stage completes, or a 503 at {@code edgesocket.max-response-time}.
 */
@Singleton
class ScriptCall {

    private static final Logger LOG = Logger.getLogger(ScriptCall.class);

    private final SocketRuntime runtime;
    private final OriginForwarding origins;
    private final long maxResponseMillis;

    @Inject
    ScriptCall(SocketRuntime runtime, OriginForwarding origins, EdgesocketConfig config) {
        this.runtime = runtime;
        this.origins = origins;
        this.maxResponseMillis = Math.max(1, config.maxResponseTime().toMillis());
    }

    /** Runs the script on the event loop; {@code place} is the zone place an upgrade request took for it. */
    void run(RoutingContext rc, Zone zone, Place place) {
        if (zone.origin() != null) {
            // A middleware script may forward the request: its body waits for that (or is dropped when answered).
            if (!rc.request().isEnded()) {
                rc.request().pause();
            }
        }
        EdgeRequest request = EdgeRequest.from(rc, zone, runtime, place, origins);
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

    private void serve(RoutingContext rc, EdgeRequest request, Context context, boolean offContext) {
        CompletableFuture<Response> stage;
        try {
            CompletionStage<Response> answer = request.zone().script().serveAsync(request);
            stage = answer == null ? CompletableFuture.completedFuture(null) : answer.toCompletableFuture();
        } catch (Throwable t) {
            deliver(rc, request, context, offContext, new ScriptAnswer(null, t));
            return;
        }
        if (stage.isDone()) {
            deliver(rc, request, context, offContext, ScriptAnswer.of(stage));
            return;
        }
        context.runOnContext(v -> new Awaited(rc, request, context, stage).start());
    }

    private static void deliver(RoutingContext rc, EdgeRequest request, Context context, boolean offContext,
            ScriptAnswer answer) {
        if (offContext) {
            context.runOnContext(v -> answer.deliver(rc, request));
        } else {
            answer.deliver(rc, request);
        }
    }

    /** A script's answer still to come; lives on the request's context, so its fields need no locking. */
    private final class Awaited {
        private final RoutingContext rc;
        private final EdgeRequest request;
        private final Context context;
        private final CompletableFuture<Response> stage;
        private boolean settled; // answered, or given up at the deadline
        private long timer;

        Awaited(RoutingContext rc, EdgeRequest request, Context context, CompletableFuture<Response> stage) {
            this.rc = rc;
            this.request = request;
            this.context = context;
            this.stage = stage;
        }

        void start() {
            timer = context.owner().setTimer(maxResponseMillis, id -> deadline());
            stage.whenComplete((response, failure) -> context.runOnContext(v -> completed()));
        }

        private void deadline() {
            if (settled) {
                return;
            }
            settled = true;
            LOG.errorf("The script of zone '%s' did not answer %s %s within %d ms (edgesocket.max-response-time)",
                    request.zone().name(), request.method(), request.path(), maxResponseMillis);
            ScriptAnswer.abandon(request, UpgradeOutcome.REJECTED_BY_SCRIPT);
            if (!rc.response().closed()) {
                HttpResponses.sentence(rc, 503, "The zone's script did not answer in time; try again.",
                        Map.of("Retry-After", "1"));
            }
        }

        private void completed() {
            if (settled) {
                // Too late: a socket the script got from upgradeWebSocket() meanwhile never opens.
                ScriptAnswer.abandon(request, null);
                return;
            }
            settled = true;
            context.owner().cancelTimer(timer);
            if (rc.response().closed()) { // the client left while the script worked: nothing to count
                ScriptAnswer.abandon(request, null);
                return;
            }
            ScriptAnswer.of(stage).deliver(rc, request);
        }
    }
}
