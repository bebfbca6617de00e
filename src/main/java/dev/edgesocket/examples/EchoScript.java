package dev.edgesocket.examples;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;

/** The Quickstart of Bunny's WebSocket docs, in Java: the script behind the default zone {@code echo}. */
@ApplicationScoped
@Named("echo")
public class EchoScript implements EdgeScript {

    private static final Logger LOG = Logger.getLogger(EchoScript.class);

    @Override
    public Response serve(Request request) {
        WebSocketUpgrade upgrade = request.upgradeWebSocket();
        WebSocket socket = upgrade.socket();

        socket.addEventListener(EventType.OPEN, event -> LOG.info("Client connected"));
        // Each message at DEBUG: at INFO a flood of tiny messages becomes a flood of log lines (issue 19).
        socket.addEventListener(EventType.MESSAGE, event -> {
            if (event.data() instanceof String text) {
                LOG.debugf("Received: %s", abbreviate(text));
                socket.send("Echo: " + text);
            } else {
                byte[] bytes = (byte[]) event.data();
                LOG.debugf("Received: %d bytes", bytes.length);
                socket.send(bytes); // binary comes back as binary, byte for byte
            }
        });
        socket.addEventListener(EventType.CLOSE,
                event -> LOG.infof("Client disconnected: %d %s", event.code(), event.reason()));

        return upgrade.response();
    }

    /** Keeps a 1 MiB message from flooding the log. */
    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
    }
}
