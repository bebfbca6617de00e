package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.WsClient;

/** SIGTERM with sockets open through a Pull Zone: the drain closes both sides with 1001, and the server exits 0. */
class OriginDrainIT {

    @Test
    void theDrainClosesTheClientAndTheOriginWith1001() throws Exception {
        try (NodeOrigin origin = NodeOrigin.start();
                PackagedServer server = PackagedServer.start(Path.of("target/origin-drain-it.log"),
                        "edgesocket.zones.ws.path=/ws/*", "edgesocket.zones.ws.origin.url=" + origin.url(""),
                        "edgesocket.shutdown.drain-period=1s", "edgesocket.shutdown.drain-timeout=10s").awaitUp();
                WsClient client = WsClient.connect(server.uri(""), "/ws/drained")) {
            client.send("still here");
            assertEquals("still here", client.nextText());
            server.signalTerm();
            assertEquals(new WsClient.Closed(1001, "Server shutting down"), client.awaitClose());
            Eventually.until("the origin to get 1001", Duration.ofSeconds(10), () -> origin.output().contains("closed 1001"));
            assertEquals(0, server.awaitExit(30), server.output());
        }
    }
}
