package dev.edgesocket.examples;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;

/**
 * An exact echo: text comes back as text and binary as binary, unchanged, as the Autobahn|Testsuite
 * expects of the server it measures (the Quickstart's {@code echo} prefixes "Echo: "). No logging per
 * message, so megabyte messages and thousands of them cost nothing but the echo.
 */
@ApplicationScoped
@Named("mirror")
public class MirrorScript implements EdgeScript {

    @Override
    public Response serve(Request request) {
        WebSocketUpgrade upgrade = request.upgradeWebSocket();
        WebSocket socket = upgrade.socket();
        socket.addEventListener(EventType.MESSAGE, event -> {
            if (event.data() instanceof String text) {
                socket.send(text);
            } else {
                socket.send((byte[]) event.data());
            }
        });
        return upgrade.response();
    }
}
