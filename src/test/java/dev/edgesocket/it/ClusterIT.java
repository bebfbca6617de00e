package dev.edgesocket.it;

import static dev.edgesocket.it.ClusterHarness.await;
import static dev.edgesocket.it.ClusterHarness.base;
import static dev.edgesocket.it.ClusterHarness.json;
import static dev.edgesocket.it.ClusterHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * Three packaged servers in cluster mode on loopback against a real redis-server (append-only file on):
 * settings, the connection limit, sessions and kicks hold cluster-wide, and the faults of issue 12 (a
 * node killed with SIGKILL, Redis stopped and started again in the middle) lose nothing. The tests run in
 * order on one cluster; each leaves it as the next expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path DIR = Path.of("target/cluster-it");
    private ClusterHarness cluster;

    @BeforeAll
    void startCluster() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed; skipping the cluster tests");
        cluster = new ClusterHarness(RedisServer.start(DIR.resolve("redis")), DIR);
        cluster.startNodes(3);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private PackagedServer n(int i) {
        return cluster.node(i - 1);
    }

    private void patchEverywhere(String body) throws InterruptedException {
        HttpResponse<String> answer = cluster.patch(n(1), "/api/zones/echo", body);
        assertEquals(200, status(answer), answer == null ? "no answer" : answer.body());
        JsonNode expected = ClusterHarness.JSON.createObjectNode();
        try {
            expected = ClusterHarness.JSON.readTree(body).get("websockets");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        JsonNode fields = expected;
        for (PackagedServer node : cluster.nodes) {
            if (node.alive()) {
                await("the change on " + node.port, Duration.ofSeconds(2), () -> {
                    JsonNode ws = cluster.zone(node).get("websockets");
                    for (var it = fields.fields(); it.hasNext();) {
                        var f = it.next();
                        if (!ws.get(f.getKey()).equals(f.getValue())) {
                            return false;
                        }
                    }
                    return true;
                });
            }
        }
    }

    private static int handshake(PackagedServer node) {
        try (RawClient client = RawClient.open(base(node))) {
            return client.request("GET", "/echo", RawClient.validHandshakeHeaders(base(node))).status();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    @Order(1)
    void aChangeOnOneNodeReachesEveryNodeWithinOneSecondAndALateNodeHasItBeforeItIsReady() throws Exception {
        HttpResponse<String> patched = cluster.patch(n(1), "/api/zones/echo", "{\"websockets\": {\"maxIdle\": 77}}");
        assertEquals(200, status(patched), patched.body());
        for (PackagedServer node : List.of(n(2), n(3))) {
            Duration took = await("maxIdle 77 on node " + node.port, Duration.ofSeconds(1),
                    () -> cluster.zone(node).get("websockets").get("maxIdle").asInt() == 77);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "propagation took " + took);
        }

        assertEquals(200, status(cluster.patch(n(2), "/api/zones/echo", "{\"websockets\": {\"enabled\": false}}")));
        await("upgrades refused on n3", Duration.ofSeconds(1), () -> handshake(n(3)) == 403);
        assertEquals(200, status(cluster.patch(n(3), "/api/zones/echo", "{\"websockets\": {\"enabled\": true}}")));
        await("upgrades accepted on n1", Duration.ofSeconds(1), () -> handshake(n(1)) == 101);

        // A node that starts now reads the cluster's settings before it reports ready.
        try (PackagedServer late = cluster.startNode("late").awaitUp()) {
            cluster.awaitReady(late);
            JsonNode zone = cluster.zone(late);
            assertEquals(77, zone.get("websockets").get("maxIdle").asInt(), zone.toString());
            assertEquals(0, late.stop());
        }
    }

    @Test
    @Order(2)
    void sixtyClientsAtOnceOnThreeNodesGetExactlyThirtyPlaces() throws Exception {
        patchEverywhere("{\"websockets\": {\"maxConnections\": 30}}");
        ExecutorService pool = Executors.newFixedThreadPool(60);
        List<RawClient> admitted = new ArrayList<>();
        try {
            List<Future<Object>> attempts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                PackagedServer node = n(1 + i % 3);
                attempts.add(pool.submit(() -> {
                    RawClient client = RawClient.open(base(node));
                    int status = client.request("GET", "/echo", RawClient.validHandshakeHeaders(base(node))).status();
                    if (status == 101) {
                        return client;
                    }
                    client.close();
                    return status;
                }));
            }
            int refused = 0;
            for (Future<Object> attempt : attempts) {
                Object outcome = attempt.get(30, TimeUnit.SECONDS);
                if (outcome instanceof RawClient client) {
                    admitted.add(client);
                } else {
                    assertEquals(503, outcome, "a refused upgrade gets 503");
                    refused++;
                }
            }
            assertEquals(30, admitted.size(), "exactly the limit is admitted across the cluster");
            assertEquals(30, refused);
            // Other nodes' counts reach this one with their next registration (every node-timeout/3): wait for
            // the opens and the refusals alike.
            await("30 open sockets and 30 refusals in the cluster's counts", Duration.ofSeconds(5), () -> {
                JsonNode live = cluster.zone(n(3)).get("live");
                return live.get("openSockets").asInt() == 30 && live.get("nodes").size() == 3
                        && live.get("refusedLimit").asInt() >= 30;
            });
            JsonNode live = cluster.zone(n(3)).get("live");
            assertEquals(30, live.get("openSockets").asInt(), live.toString());
            assertTrue(live.get("refusedLimit").asInt() >= 30, live.toString());
        } finally {
            for (RawClient client : admitted) {
                client.close();
            }
            pool.shutdownNow();
        }
        await("places given back", Duration.ofSeconds(5), () -> cluster.zone(n(1)).get("live").get("openSockets").asInt() == 0);
        for (int i = 1; i <= 3; i++) {
            int node = i;
            await("an upgrade on n" + i, Duration.ofSeconds(5), () -> handshake(n(node)) == 101);
        }
        patchEverywhere("{\"websockets\": {\"maxConnections\": 1000}}");
    }

    @Test
    @Order(3)
    void sessionsAreListedAndKickedAcrossNodes() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        long since = Instant.now().getEpochSecond() - 1;
        try {
            for (int i = 0; i < 6; i++) {
                WsClient client = WsClient.connect(base(n(1 + i % 3)), "/echo");
                client.send("hi " + i);
                client.expectText("Echo: hi " + i);
                clients.add(client);
            }
            await("six sessions listed", Duration.ofSeconds(5), () -> {
                JsonNode page = json(cluster.get(n(1), "/api/zones/echo/sessions?limit=100"));
                return page.get("sessions").size() == 6;
            });
            // The console's charts: asked on n2, the totals of every node and each node's own series.
            awaitCharts(since);
            JsonNode first = json(cluster.get(n(1), "/api/zones/echo/sessions?limit=4"));
            assertEquals(4, first.get("sessions").size(), first.toString());
            String next = first.get("next").asText();
            JsonNode second = json(cluster.get(n(2), "/api/zones/echo/sessions?limit=4&after=" + next));
            assertEquals(2, second.get("sessions").size(), second.toString());
            assertTrue(second.get("next").isNull(), second.toString());

            List<JsonNode> sessions = new ArrayList<>();
            first.get("sessions").forEach(sessions::add);
            second.get("sessions").forEach(sessions::add);
            Set<String> ids = new HashSet<>();
            Set<String> nodes = new HashSet<>();
            Instant previous = Instant.EPOCH;
            for (JsonNode session : sessions) {
                ids.add(session.get("id").asText());
                nodes.add(session.get("node").asText());
                assertTrue(session.get("id").asText().startsWith("echo-" + session.get("node").asText() + "-"), session.toString());
                assertEquals(1, session.get("messagesIn").asInt(), "live details from the owning node: " + session);
                Instant connected = Instant.parse(session.get("connectedAt").asText());
                assertTrue(!connected.isBefore(previous), "oldest first: " + sessions);
                previous = connected;
            }
            assertEquals(6, ids.size(), "ids are unique across the cluster");
            assertEquals(Set.of("n1", "n2", "n3"), nodes);

            // A kick on n1 reaches the socket on n3.
            JsonNode onN3 = sessions.stream().filter(s -> s.get("node").asText().equals("n3")).findFirst().orElseThrow();
            String id = onN3.get("id").asText();
            HttpResponse<String> kicked = cluster.delete(n(1), "/api/zones/echo/sessions/" + id + "?code=4001&reason=kicked");
            assertEquals(204, status(kicked), kicked.body());
            WsClient victim = clients.get(2); // i = 2 connected to n3, and n3's first session is the oldest
            assertEquals(new WsClient.Closed(4001, "kicked"), victim.awaitClose());
            await("the kicked session is gone", Duration.ofSeconds(3),
                    () -> status(cluster.delete(n(2), "/api/zones/echo/sessions/" + id)) == 404);
            assertEquals(404, status(cluster.delete(n(2), "/api/zones/echo/sessions/echo-n2-1")));
            assertEquals(400, status(cluster.get(n(2), "/api/zones/echo/sessions?after=nonsense")));

            // closeExisting closes the zone's sockets on every node.
            HttpResponse<String> off = cluster.patch(n(2), "/api/zones/echo?closeExisting=true",
                    "{\"websockets\": {\"enabled\": false}}");
            assertEquals(200, status(off), off.body());
            for (WsClient client : clients) {
                if (client != victim) {
                    assertEquals(new WsClient.Closed(1001, "WebSockets were disabled for this zone"), client.awaitClose());
                }
            }
        } finally {
            clients.forEach(WsClient::close);
            patchEverywhere("{\"websockets\": {\"enabled\": true}}");
        }
    }

    @Test
    @Order(4)
    void redisStoppedAndStartedAgainLosesNothingWhileSocketsKeepEchoing() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        PackagedServer startedDuringOutage = null;
        try {
            for (int i = 1; i <= 3; i++) {
                clients.add(WsClient.connect(base(n(i)), "/echo"));
            }
            echo(clients, "before");

            cluster.redis.stop();
            echo(clients, "during");
            HttpResponse<String> refused = cluster.patch(n(2), "/api/zones/echo", "{\"websockets\": {\"maxIdle\": 99}}");
            assertEquals(503, status(refused), refused.body());
            assertTrue(json(refused).get("message").asText().contains("cannot be reached"), refused.body());
            for (PackagedServer node : cluster.nodes) {
                await("link degraded on " + node.port, Duration.ofSeconds(5), () -> {
                    HttpResponse<String> ready = cluster.get(node, "/q/health/ready");
                    return status(ready) == 200 && ready.body().contains("\"link\": \"degraded\"");
                });
            }
            String metrics = cluster.get(n(1), "/q/metrics").body();
            assertTrue(metrics.contains("edgesocket_cluster_link{node=\"n1\"} 0.0"), "the gauge shows the link degraded");
            assertTrue(metrics.contains("edgesocket_connections{node=\"n1\",zone=\"echo\"}"), "every meter carries the node");
            // Upgrades go on with a local share of the limit, and nothing changed.
            WsClient duringOutage = WsClient.connect(base(n(3)), "/echo");
            clients.add(duringOutage);
            echo(clients, "still");
            assertEquals(77, cluster.zone(n(2)).get("websockets").get("maxIdle").asInt());

            // A node that starts while Redis is away serves with the configuration baseline and is ready.
            startedDuringOutage = cluster.startNode("n4").awaitUp();
            cluster.awaitReady(startedDuringOutage);
            assertTrue(startedDuringOutage.output().contains("cannot reach Redis at start"), startedDuringOutage.output());

            cluster.redis.restart();
            for (PackagedServer node : cluster.nodes) {
                await("link up again on " + node.port, Duration.ofSeconds(10),
                        () -> cluster.get(node, "/q/health/ready").body().contains("\"link\": \"up\""));
            }
            PackagedServer n4 = startedDuringOutage;
            await("the late node linked, with the cluster's settings", Duration.ofSeconds(10),
                    () -> cluster.zone(n4).get("websockets").get("maxIdle").asInt() == 77);
            echo(clients, "after");
            // Every setting survived in Redis, and writes work again.
            assertEquals("77", cluster.redis.command("HGET", "edgesocket:zone:echo:overrides", "maxIdle"));
            patchEverywhere("{\"websockets\": {\"maxIdle\": 120}}");
            // The socket opened during the outage is in the cluster's list again.
            String[] seen = {""};
            try {
                await("every open socket listed", Duration.ofSeconds(5), () -> {
                    HttpResponse<String> page = cluster.get(n(1), "/api/zones/echo/sessions?limit=100");
                    seen[0] = page.body();
                    return json(page).get("sessions").size() == 4;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the list: " + seen[0], e);
            }
            assertTrue(cluster.redis.log().contains("DB loaded from append only file")
                    || cluster.redis.log().contains("Reading the remaining AOF tail"), "Redis reloaded its data: " + cluster.redis.log());
        } finally {
            clients.forEach(WsClient::close);
            if (startedDuringOutage != null) {
                startedDuringOutage.stop();
            }
        }
    }

    /** Two clients on each node, one message each: each node's series and their totals show it, asked on n2. */
    private void awaitCharts(long since) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        try {
            await("the charts' series of every node, and their totals", Duration.ofSeconds(5), () -> {
                HttpResponse<String> answer = cluster.get(n(2), "/api/stats?zone=echo&since=" + since);
                seen.set(answer == null ? "no answer" : answer.statusCode() + " " + answer.body());
                JsonNode stats = json(answer);
                JsonNode zone = stats.get("zones").get(0);
                JsonNode nodes = zone.get("nodes");
                if (!stats.get("node").asText().equals("n2") || nodes == null || nodes.size() != 3) {
                    return false;
                }
                for (String node : List.of("n1", "n2", "n3")) {
                    if (last(nodes.get(node), "open") != 2 || sum(nodes.get(node), "messagesIn") != 2) {
                        return false;
                    }
                }
                return last(zone.get("series"), "open") == 6 && sum(zone.get("series"), "messagesIn") == 6;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + seen.get(), e);
        }
    }

    private static double sum(JsonNode series, String column) {
        double sum = 0;
        for (JsonNode value : series.get(column)) {
            sum += value.asDouble();
        }
        return sum;
    }

    private static double last(JsonNode series, String column) {
        JsonNode values = series.get(column);
        return values.isEmpty() ? -1 : values.get(values.size() - 1).asDouble();
    }

    private static void echo(List<WsClient> clients, String word) {
        for (WsClient client : clients) {
            client.send(word);
            client.expectText("Echo: " + word);
        }
    }

    @Test
    @Order(5)
    void aNodeKilledWithSigkillGivesBackItsPlacesAndSessionsWithinTheNodeTimeout() throws Exception {
        patchEverywhere("{\"websockets\": {\"maxConnections\": 6}}");
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                clients.add(WsClient.connect(base(n(1 + i % 3)), "/echo"));
            }
            assertEquals(503, handshake(n(1)), "the zone is full");
            n(3).kill();
            long killed = System.nanoTime();
            await("n3's places free", ClusterHarness.NODE_TIMEOUT.plusSeconds(2), () -> {
                try {
                    clients.add(WsClient.connect(base(n(1)), "/echo"));
                    return true;
                } catch (AssertionError e) {
                    return false;
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertTrue(took.compareTo(ClusterHarness.NODE_TIMEOUT.plusMillis(500)) <= 0, "places came back after " + took);
            await("n3's sessions gone", Duration.ofSeconds(3), () -> {
                JsonNode page = json(cluster.get(n(1), "/api/zones/echo/sessions?limit=100"));
                for (JsonNode s : page.get("sessions")) {
                    if (s.get("node").asText().equals("n3")) {
                        return false;
                    }
                }
                return page.get("sessions").size() == 5;
            });
            JsonNode live = cluster.zone(n(2)).get("live");
            assertNull(live.get("nodes").get("n3"), live.toString());
            assertNotNull(live.get("nodes").get("n1"), live.toString());
            assertNotEquals(0, live.get("openSockets").asInt());
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
