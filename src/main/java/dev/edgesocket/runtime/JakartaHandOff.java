package dev.edgesocket.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.edgesocket.vertx.VertxInternals;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.ext.web.RoutingContext;

/**
 * The last step of an upgrade a script approved: the request is rerouted to the one Jakarta endpoint, with the
 * socket riding on its connection, and Undertow completes the handshake with our subprotocol, extension and the
 * script's extra headers. Every other way to the internal path gets 404.
 */
final class JakartaHandOff {

    private static final String APPROVED_SOCKET = "edgesocket.approved-socket";
    private static final String UPGRADE_HEADERS = "edgesocket.upgrade-headers";
    /** Headers the handshake owns: a script's copies of them would break it, so they are not merged. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-version", "content-length",
            "transfer-encoding");

    private JakartaHandOff() {
    }

    /** Sends the approved upgrade on to the Jakarta endpoint; {@code headers} are the script's additions. */
    static void approve(RoutingContext rc, EdgeWebSocket socket, List<Map.Entry<String, String>> headers) {
        rc.put(APPROVED_SOCKET, socket);
        rc.put(UPGRADE_HEADERS, headers);
        rc.reroute(UpgradeEndpoints.PATH);
    }

    /** A request to the internal path: goes on to Undertow only when it is an approved reroute. */
    static void continueApproved(RoutingContext rc) {
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
        Channel channel = VertxInternals.channel(rc.request().connection());
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
