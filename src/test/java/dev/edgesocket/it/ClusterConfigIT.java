package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Cluster mode refuses to start half-configured, with a sentence saying what to fix. */
class ClusterConfigIT {

    private static final Path DIR = Path.of("target/cluster-config-it");

    @Test
    void clusterModeWithAStateFileStopsTheServerAtStart() throws Exception {
        try (PackagedServer server = PackagedServer.start(DIR.resolve("state-file.log"), "edgesocket.cluster.enabled=true",
                "quarkus.redis.hosts=redis://127.0.0.1:1", "edgesocket.state-file=" + DIR.resolve("state.json"))) {
            assertNotEquals(0, server.awaitExit(60), "the server refuses to start");
            assertTrue(server.output().contains("edgesocket.cluster.enabled=true and edgesocket.state-file="
                    + DIR.resolve("state.json") + " cannot be used together"), server.output());
        }
    }

    @Test
    void clusterModeWithoutRedisHostsStopsTheServerAtStart() throws Exception {
        try (PackagedServer server = PackagedServer.start(DIR.resolve("no-hosts.log"), "edgesocket.cluster.enabled=true")) {
            assertNotEquals(0, server.awaitExit(60), "the server refuses to start");
            assertTrue(server.output().contains("edgesocket.cluster.enabled=true needs a Redis: set quarkus.redis.hosts"),
                    server.output());
        }
    }
}
