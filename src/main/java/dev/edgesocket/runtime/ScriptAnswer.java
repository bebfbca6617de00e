package dev.edgesocket.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Response;
import dev.edgesocket.origin.OriginBody;
import dev.edgesocket.origin.WebSocketDialer.Connected;
import dev.edgesocket.api.WebSocketUpgrade;
import dev.edgesocket.api.WebSocketUpgradeException;
import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import io.vertx.ext.web.RoutingContext;

/** What a script answered a request: a response, or the failure it threw; and how that reaches the client. */
record ScriptAnswer(Response response, Throwable failure) {

    private static final Logger LOG = Logger.getLogger(ScriptAnswer.class);

    /** The answer of a completed stage. */
    static ScriptAnswer of(CompletableFuture<Response> done) {
        try {
            return new ScriptAnswer(done.join(), null);
        } catch (CompletionException e) {
            return new ScriptAnswer(null, e.getCause() != null ? e.getCause() : e);
        } catch (Throwable t) {
            return new ScriptAnswer(null, t);
        }
    }

    /**
     * On the request's context: the upgrade response (or a copy with headers added) goes on to the handshake with
     * the request's place; anything else is written, and the place and any socket the script got are let go.
     */
    void deliver(RoutingContext rc, EdgeRequest request) {
        Zone zone = request.zone();
        // What came from the origin and is not what the script answered with is let go now.
        Response.Streamed streamed = response == null ? null : response.streamedBody();
        boolean originSocket = streamed instanceof Connected && response.status() == 101;
        boolean originBody = streamed instanceof OriginBody && response.status() != 101;
        OriginForwarding.letGo(request.exchange(), originSocket || originBody ? streamed : null);
        if (originSocket && request.exchange().origins != null) {
            // A middleware script returned the origin's 101: the client's socket joins the origin's.
            EdgeWebSocket socket = request.exchange().origins.join(request, (Connected) streamed, zone.origin());
            request.handPlaceTo(socket);
            JakartaHandOff.approve(rc, socket, response.headers());
            return;
        }
        WebSocketUpgrade upgrade = request.upgrade();
        if (upgrade != null && response != null && response.status() == 101) {
            // Response is immutable, so withHeader returns a copy: the headers it added go into the handshake's 101.
            EdgeWebSocket socket = (EdgeWebSocket) upgrade.socket();
            request.handPlaceTo(socket);
            JakartaHandOff.approve(rc, socket, response.headers());
            return;
        }
        // Anything but the upgrade: the place taken for it goes back at once, and a socket the script got
        // from upgradeWebSocket() never opens (what was tied to it, such as its channels, is let go).
        abandon(request, failure instanceof WebSocketUpgradeException
                ? UpgradeOutcome.BAD_REQUEST : UpgradeOutcome.REJECTED_BY_SCRIPT);
        if (failure instanceof WebSocketUpgradeException refused) {
            HttpResponses.sentence(rc, refused.status(), refused.getMessage(), refused.headers());
            return;
        }
        if (failure != null) {
            LOG.errorf(failure, "The script of zone '%s' failed on %s %s", zone.name(), request.method(),
                    request.path());
            HttpResponses.sentence(rc, 500, "The zone's script failed; the server log has the details.", Map.of());
            return;
        }
        if (response == null) {
            LOG.errorf("The script of zone '%s' returned no response to %s %s", zone.name(), request.method(),
                    request.path());
            HttpResponses.sentence(rc, 500, "The zone's script returned no response.", Map.of());
            return;
        }
        if (streamed != null && !originBody && response.status() != 101) {
            LOG.errorf("The script of zone '%s' answered %s %s with the origin's WebSocket handshake under status %d; "
                    + "return it as it is to upgrade", zone.name(), request.method(), request.path(), response.status());
            HttpResponses.sentence(rc, 500, "The zone's script changed the status of the origin's WebSocket answer.",
                    Map.of());
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

    /**
     * The request ends without its socket: a socket the script got never opens, and the place goes back, counted
     * under {@code counted} when the request held one (null: not counted, the client is gone).
     */
    static void abandon(EdgeRequest request, UpgradeOutcome counted) {
        OriginForwarding.letGo(request.exchange(), null);
        WebSocketUpgrade upgrade = request.upgrade();
        if (upgrade != null) {
            ((EdgeWebSocket) upgrade.socket()).neverOpened();
        }
        if (request.releasePlaceIfHeld() && counted != null) {
            request.zone().count(counted);
        }
    }
}
