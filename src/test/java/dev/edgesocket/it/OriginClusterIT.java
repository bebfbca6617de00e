package dev.edgesocket.it;

import static dev.edgesocket.it.ClusterHarness.await;
import static dev.edgesocket.it.ClusterHarness.base;
import static dev.edgesocket.it.ClusterHarness.json;
import static dev.edgesocket.it.ClusterHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * A Pull Zone in cluster mode: two packaged servers on one real redis-server, in front of one Node {@code ws}
 * origin. The zone's {@code max-connections} holds across both nodes, the proxied sockets are the cluster's
 * sessions (listed and kicked from either node), a closed socket gives its place back, and so does a node killed
 * with SIGKILL, within the node timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginClusterIT {

    private static final Path DIR = Path.of("target/origin-cluster-it");
    private static final int LIMIT = 4;
    private static final String FULL = "Zone 'pull' has reached its limit of " + LIMIT + " connections; try again shortly.";
    private NodeOrigin origin;
    private ClusterHarness cluster;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed; skipping the cluster tests");
        origin = NodeOrigin.start();
        cluster = new ClusterHarness(RedisServer.start(DIR.resolve("redis")), DIR);
        List<PackagedServer> started = new ArrayList<>();
        for (String name : List.of("n1", "n2")) {
            started.add(cluster.startNode(name, "edgesocket.zones.pull.path=/pull/*",
                    "edgesocket.zones.pull.origin.url=" + origin.url("/base"),
                    "edgesocket.zones.pull.websockets.max-connections=" + LIMIT));
        }
        cluster.nodes.addAll(started); // closed with the cluster, even if one does not come up
        for (PackagedServer node : started) {
            cluster.awaitReady(node.awaitUp());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private PackagedServer n(int i) {
        return cluster.node(i - 1);
    }

    @Test
    void theLimitHoldsAcrossNodesSocketsAreSessionsAndPlacesComeBack() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        try {
            // Two sockets through each node fill the zone, each relayed to the one origin.
            for (int i = 0; i < LIMIT; i++) {
                WsClient client = WsClient.connect(base(n(1 + i % 2)), "/pull/s" + i);
                client.send("hello " + i);
                client.expectText("hello " + i);
                clients.add(client);
            }
            for (int node = 1; node <= 2; node++) {
                assertFull(n(node));
            }

            // They are the cluster's sessions, asked on either node.
            JsonNode sessions = awaitSessions(n(2), LIMIT);
            Set<String> nodes = new HashSet<>();
            for (JsonNode session : sessions) {
                nodes.add(session.get("node").asText());
                assertTrue(session.get("id").asText().startsWith("pull-" + session.get("node").asText() + "-"),
                        session.toString());
            }
            assertEquals(Set.of("n1", "n2"), nodes, sessions.toString());
            JsonNode zone = json(cluster.get(n(1), "/api/zones/pull"));
            assertEquals("pull-zone", zone.get("kind").asText(), zone.toString());

            // A client that closes gives its place back, to a client of the other node.
            WsClient first = clients.remove(0); // through n1
            first.close(1000, "done");
            first.awaitClose();
            clients.add(awaitAdmitted(n(2), "/pull/after-close", Duration.ofSeconds(5)));
            assertFull(n(1));

            // A kick on n1 of a socket on n2 closes it (4001 to the client, 1001 to the origin) and frees its place.
            JsonNode onN2 = null;
            for (JsonNode session : awaitSessions(n(1), LIMIT)) {
                if (session.get("node").asText().equals("n2")) {
                    onN2 = session;
                }
            }
            assertTrue(onN2 != null, "a session on n2");
            HttpResponse<String> kicked = cluster.delete(n(1), "/api/zones/pull/sessions/" + onN2.get("id").asText()
                    + "?code=4001&reason=kicked");
            assertEquals(204, status(kicked), kicked == null ? "no answer" : kicked.body());
            await("the kicked client to be closed", Duration.ofSeconds(5), () -> clients.stream().anyMatch(WsClient::isClosed));
            WsClient victim = clients.stream().filter(WsClient::isClosed).findFirst().orElseThrow();
            assertEquals(new WsClient.Closed(4001, "kicked"), victim.awaitClose());
            clients.remove(victim);
            await("the origin to get 1001 for the kick", Duration.ofSeconds(5), () -> origin.output().contains("closed 1001"));
            clients.add(awaitAdmitted(n(1), "/pull/after-kick", Duration.ofSeconds(5)));
            assertFull(n(2));

            // SIGKILL n2: its places come back within the node timeout, and the sockets on n1 go on.
            long onN2Count = awaitSessions(n(1), LIMIT).findValuesAsText("node").stream().filter("n2"::equals).count();
            assertTrue(onN2Count > 0, "some sockets are on n2");
            n(2).kill();
            long killed = System.nanoTime();
            for (int i = 0; i < onN2Count; i++) {
                clients.add(awaitAdmitted(n(1), "/pull/after-kill-" + i, ClusterHarness.NODE_TIMEOUT.plusSeconds(3)));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertTrue(took.compareTo(ClusterHarness.NODE_TIMEOUT.plusSeconds(2)) <= 0, "places came back after " + took);
            assertFull(n(1));
            int echoed = 0;
            for (WsClient client : clients) {
                if (!client.isClosed()) {
                    client.send("still " + echoed);
                    client.expectText("still " + echoed);
                    echoed++;
                }
            }
            assertEquals(LIMIT, echoed, "every socket on n1 still relays");
            await("n2's sessions gone", Duration.ofSeconds(5), () -> {
                JsonNode page = json(cluster.get(n(1), "/api/zones/pull/sessions?limit=100")).get("sessions");
                return page.size() == LIMIT && !page.findValuesAsText("node").contains("n2");
            });
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    /** A handshake on {@code node} is refused with 503 and the limit's sentence. */
    private static void assertFull(PackagedServer node) throws Exception {
        try (RawClient raw = RawClient.open(base(node))) {
            RawClient.HttpAnswer answer = raw.request("GET", "/pull/one-too-many", RawClient.validHandshakeHeaders(base(node)));
            assertEquals(503, answer.status(), "node on port " + node.port + ": " + answer.body());
            assertEquals(FULL + "\n", answer.body());
        }
    }

    /** Waits until a socket through {@code node} is admitted and relays. */
    private static WsClient awaitAdmitted(PackagedServer node, String path, Duration limit) {
        WsClient[] admitted = new WsClient[1];
        await("a place on the node on port " + node.port, limit, () -> {
            try {
                admitted[0] = WsClient.connect(base(node), path);
                return true;
            } catch (AssertionError | RuntimeException e) {
                return false;
            }
        });
        admitted[0].send("admitted");
        admitted[0].expectText("admitted");
        return admitted[0];
    }

    /** The zone's sessions as {@code node} lists them, once there are {@code count}. */
    private JsonNode awaitSessions(PackagedServer node, int count) {
        JsonNode[] seen = new JsonNode[1];
        await(count + " sessions listed on the node on port " + node.port, Duration.ofSeconds(5), () -> {
            seen[0] = json(cluster.get(node, "/api/zones/pull/sessions?limit=100")).get("sessions");
            return seen[0].size() == count;
        });
        return seen[0];
    }
}
