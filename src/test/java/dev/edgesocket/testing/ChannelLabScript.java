package dev.edgesocket.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.edgesocket.api.BroadcastChannels;
import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocketUpgrade;

/**
 * Opens a channel for its socket and then, with {@code ?refuse}, answers 403 instead of the upgrade (or
 * throws, with {@code ?throw}): the socket never opens, and its channel must not stay behind.
 */
@ApplicationScoped
@Named("channel-lab")
public class ChannelLabScript implements EdgeScript {

    @Inject
    BroadcastChannels channels;

    @Override
    public Response serve(Request request) {
        WebSocketUpgrade upgrade = request.upgradeWebSocket();
        channels.open(request.queryParam("channel").orElse("lab:leak"), upgrade.socket());
        if (request.queryParam("refuse").isPresent()) {
            return Response.text(403, "Changed my mind.");
        }
        if (request.queryParam("throw").isPresent()) {
            throw new IllegalStateException("thrown on purpose after opening a channel");
        }
        return upgrade.response();
    }
}
