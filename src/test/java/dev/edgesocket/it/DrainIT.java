package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * SIGTERM on the packaged server, as Kubernetes sends it on a rollout: readiness goes down, new
 * upgrades get 503, all 20 clients get a 1001 close frame before their connection ends, exit code 0.
 */
class DrainIT {

    @Test
    void sigtermDrainsEverySocketAndExitsZero() throws Exception {
        try (PackagedServer server = PackagedServer.start(Path.of("target/drain-it/server.log"),
                "edgesocket.shutdown.drain-period=2s", "edgesocket.shutdown.drain-timeout=10s").awaitUp()) {
            URI base = server.uri("/");
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WsClient client = WsClient.connect(base, "/echo");
                client.send("hello " + i);
                client.expectText("Echo: hello " + i);
                clients.add(client);
            }
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(server.uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            server.signalTerm();
            Thread.sleep(300); // the drain has begun; it spreads the closes over 2 s
            assertEquals(503, http.send(HttpRequest.newBuilder(server.uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "readiness is down while draining");
            try (RawClient late = RawClient.open(base)) {
                RawClient.HttpAnswer refused = late.request("GET", "/echo", RawClient.validHandshakeHeaders(base));
                assertEquals(503, refused.status(), "no new upgrades while draining");
                assertEquals("1", refused.header("Retry-After"));
            }
            for (WsClient client : clients) {
                // A close code from a close frame; a connection dropped without one would read 1006.
                assertEquals(new WsClient.Closed(1001, "Server shutting down"), client.awaitClose());
            }
            assertEquals(0, server.awaitExit(30), "the process exits 0 after the drain");
            // Production logs are JSON, one object a line, for log collectors.
            String drainLine = server.output().lines().filter(l -> l.contains("Draining 20 open sockets")).findFirst()
                    .orElseThrow(() -> new AssertionError("the drain is logged"));
            assertTrue(drainLine.startsWith("{") && drainLine.contains("\"message\":\"Draining 20 open sockets"),
                    "a JSON log line: " + drainLine);
        }
    }

    @Test
    void aDrainTimeoutThatCannotCoverThePeriodAndTheCloseTimeoutStopsTheServerAtStart() throws Exception {
        try (PackagedServer server = PackagedServer.start(Path.of("target/drain-it/short-timeout.log"),
                "edgesocket.shutdown.drain-period=5s", "edgesocket.close-timeout=5s",
                "edgesocket.shutdown.drain-timeout=10s")) {
            assertTrue(server.awaitExit(60) != 0, "the server refuses to start");
            assertTrue(server.output().contains("edgesocket.shutdown.drain-timeout (PT10S) must be longer than "
                    + "edgesocket.shutdown.drain-period (PT5S) plus edgesocket.close-timeout (PT5S)"), server.output());
        }
    }
}
