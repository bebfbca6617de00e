package dev.edgesocket.runtime;

import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Overrides every method of the Jakarta configurator, so the container's default configurator is
 * never looked up through {@code ServiceLoader} (a known trap of {@code quarkus-websockets} in native mode).
 */
public final class UpgradeConfigurator extends ServerEndpointConfig.Configurator {

    /** The request filter already put the negotiated subprotocol into the response; keep it. */
    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return "";
    }

    /** No extensions, as on Deno's server: no permessage-deflate, so any RSV bit is a protocol error. */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return List.of();
    }

    /** Origins are the script's call: it sees the {@code Origin} header and may refuse the upgrade. */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        // The script decided everything before the upgrade.
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new SessionBridge());
    }
}
