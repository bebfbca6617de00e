package dev.edgesocket.runtime;

import java.io.IOException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.undertow.websockets.UndertowSession;

/**
 * The Jakarta endpoint behind every zone. Undertow completes the handshake and opens a session;
 * this binds the session's connection to the socket the script created, which the request filter
 * left on the connection. From then on {@link InboundFrameHandler} sees every frame first-hand, so
 * Undertow's {@code onClose} (which says 1001 for any cause) and {@code onError} are not needed.
 */
public final class SessionBridge extends Endpoint {

    private static final Logger LOG = Logger.getLogger(SessionBridge.class);

    /** The approved socket waiting for its handshake, set by the request filter on the connection. */
    static final AttributeKey<EdgeWebSocket> PENDING_SOCKET = AttributeKey.valueOf("edgesocket.pending-socket");

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Channel channel = ((UndertowSession) session).getChannel();
        EdgeWebSocket socket = channel.attr(PENDING_SOCKET).getAndSet(null);
        if (socket == null) {
            // Only the request filter routes approved upgrades here; a client must never be able to reach this.
            LOG.warn("A WebSocket session opened without a socket from a script; closing it");
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "No script"));
            } catch (IOException e) {
                channel.close();
            }
            return;
        }
        socket.bind(channel);
    }
}
