package dev.edgesocket.it;

import static dev.edgesocket.it.ClusterHarness.await;
import static dev.edgesocket.it.ClusterHarness.json;
import static dev.edgesocket.it.ClusterHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A zone's origin URL changed over the config API in cluster mode: stored in Redis, every node takes it (the
 * bus's notification), a node that starts later has it before it is ready, and a refused change reaches no node.
 */
class ClusterOriginIT {

    private static final Path DIR = Path.of("target/cluster-origin-it");
    // The origins are never dialled here: only the zones' configuration and kind matter.
    private static final String[] PULL_ZONE = {"edgesocket.zones.\"pull\".path=/pull",
            "edgesocket.zones.\"pull\".origin.url=http://127.0.0.1:9"};

    @Test
    void anOriginChangeOnOneNodeReachesEveryNodeAndALateOne() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed; skipping the cluster tests");
        try (ClusterHarness cluster = new ClusterHarness(RedisServer.start(DIR.resolve("redis")), DIR)) {
            PackagedServer n1 = cluster.startNode("n1", PULL_ZONE);
            cluster.nodes.add(n1);
            cluster.awaitReady(n1.awaitUp());

            HttpResponse<String> moved = cluster.patch(n1, "/api/zones/pull", "{\"origin\": {\"url\": \"http://127.0.0.1:7/v2\"}}");
            assertEquals(200, status(moved), moved.body());
            HttpResponse<String> fronted = cluster.patch(n1, "/api/zones/echo",
                    "{\"origin\": {\"url\": \"http://127.0.0.1:8\"}, \"websockets\": {\"maxIdle\": 66}}");
            assertEquals(200, status(fronted), fronted.body());
            assertEquals("middleware", json(fronted).path("kind").asText(), fronted.body());

            // A node that starts now reads the stored change before it is ready.
            PackagedServer n2 = cluster.startNode("n2", PULL_ZONE);
            cluster.nodes.add(n2);
            cluster.awaitReady(n2.awaitUp());
            JsonNode pull = json(cluster.get(n2, "/api/zones/pull"));
            assertEquals("http://127.0.0.1:7/v2", pull.path("origin").path("url").asText(), pull.toString());
            assertEquals("pull-zone", pull.path("kind").asText());
            JsonNode echo = cluster.zone(n2);
            assertEquals("middleware", echo.path("kind").asText(), echo.toString());
            assertEquals(66, echo.path("websockets").path("maxIdle").asInt(), echo.toString());

            // A change on n2 reaches n1 through the bus; removing the script zone's origin makes it standalone again.
            HttpResponse<String> removed = cluster.patch(n2, "/api/zones/echo", "{\"origin\": {\"url\": null}}");
            assertEquals(200, status(removed), removed.body());
            await("n1 sees echo standalone", Duration.ofSeconds(3),
                    () -> cluster.zone(n1).path("kind").asText().equals("standalone") && !cluster.zone(n1).has("origin"));
            assertEquals(66, cluster.zone(n1).path("websockets").path("maxIdle").asInt(), "the websockets override stays");

            // A Pull Zone cannot lose its origin, on any node; nothing changes anywhere.
            HttpResponse<String> refused = cluster.patch(n1, "/api/zones/pull", "{\"origin\": {\"url\": null}}");
            assertEquals(400, status(refused), refused.body());
            assertTrue(refused.body().contains("neither a script nor an origin"), refused.body());
            Thread.sleep(1500); // past a sync-interval: a stored change would have been re-read by now
            for (PackagedServer node : cluster.nodes) {
                JsonNode zone = json(cluster.get(node, "/api/zones/pull"));
                assertEquals("http://127.0.0.1:7/v2", zone.path("origin").path("url").asText(), zone.toString());
            }
        }
    }
}
