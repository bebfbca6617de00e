package dev.edgesocket.runtime;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.api.WebSocketUpgradeException;
import dev.edgesocket.origin.OriginCall;
import dev.edgesocket.origin.WebSocketDialer;
import dev.edgesocket.origin.WebSocketDialer.Connected;
import dev.edgesocket.origin.WebSocketDialer.Dialed;
import dev.edgesocket.origin.WebSocketDialer.Failed;
import dev.edgesocket.origin.WebSocketDialer.Refused;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Place;
import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import io.vertx.ext.web.RoutingContext;

/**
 * A Pull Zone's WebSocket upgrade, after the gates and admission: the client's handshake is checked, the origin is
 * dialed with the client's offers, and only once it accepted does the client's socket come to be (with the origin's
 * subprotocol), joined to the origin's by a {@link WebSocketRelay} and handed to Jakarta with the request's place.
 * The origin's refusal reaches the client as it is; a failure is 502 or 504 with a sentence, and the place goes back.
 */
@Singleton
class OriginUpgrade {

    private final SocketRuntime runtime;
    private final WebSocketDialer dialer;
    private final OriginForwarding forwarding;

    @Inject
    OriginUpgrade(SocketRuntime runtime, WebSocketDialer dialer, OriginForwarding forwarding) {
        this.runtime = runtime;
        this.dialer = dialer;
        this.forwarding = forwarding;
    }

    void run(RoutingContext rc, Zone zone, OriginSettings origin, Place place) {
        EdgeRequest request = EdgeRequest.from(rc, zone, runtime, place, null);
        try {
            HandshakeCheck.check(request);
        } catch (WebSocketUpgradeException e) {
            request.releasePlaceIfHeld();
            zone.count(UpgradeOutcome.BAD_REQUEST);
            HttpResponses.sentence(rc, e.status(), e.getMessage(), e.headers());
            return;
        }
        dialer.dial(OriginCall.of(rc.request()), zone, origin, request.protocols(),
                (int) Math.min(Integer.MAX_VALUE, zone.settings().maxMessageSize()))
                .onComplete(done -> answered(rc, request, origin, done.result()));
    }

    private void answered(RoutingContext rc, EdgeRequest request, OriginSettings origin, Dialed dialed) {
        Zone zone = request.zone();
        if (rc.response().closed()) { // the client left while the origin was asked
            request.releasePlaceIfHeld();
            if (dialed instanceof Connected connected) {
                connected.socket().close((short) 1001, "Going away");
            }
            return;
        }
        switch (dialed) {
            case Refused refused -> {
                if (request.releasePlaceIfHeld()) {
                    zone.count(UpgradeOutcome.REJECTED_BY_ORIGIN);
                }
                refused.writeTo(rc.response(), rc.request().version());
            }
            case Failed failed -> {
                if (request.releasePlaceIfHeld()) {
                    zone.count(UpgradeOutcome.ORIGIN_FAILED);
                }
                HttpResponses.sentence(rc, failed.status(), failed.sentence(), Map.of());
            }
            case Connected connected -> {
                EdgeWebSocket socket = forwarding.join(request, connected, origin);
                request.handPlaceTo(socket);
                JakartaHandOff.approve(rc, socket, List.of());
            }
        }
    }
}
