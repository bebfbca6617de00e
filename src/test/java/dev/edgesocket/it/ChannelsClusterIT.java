package dev.edgesocket.it;

import static dev.edgesocket.it.ClusterHarness.await;
import static dev.edgesocket.it.ClusterHarness.base;
import static dev.edgesocket.it.ClusterHarness.json;
import static dev.edgesocket.it.ClusterHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgesocket.testing.WsClient;

/**
 * BroadcastChannel across three packaged servers and one real redis-server, through the chat example: a post
 * on one node reaches the others, a backend's HTTP post reaches every node, local delivery survives a Redis
 * outage and cross-node delivery comes back by itself after it, and a node killed with SIGKILL drops out of
 * the counts. The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelsClusterIT {

    private static final Path DIR = Path.of("target/channels-cluster-it");
    private ClusterHarness cluster;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed; skipping the cluster tests");
        cluster = new ClusterHarness(RedisServer.start(DIR.resolve("redis")), DIR);
        cluster.startNodes(3);
    }

    @AfterAll
    void stopCluster() throws Exception {
        clients.forEach(WsClient::close);
        if (cluster != null) {
            String logs = cluster.logs();
            cluster.close();
            assertFalse(logs.lines().anyMatch(l -> l.contains(" ERROR ")), "no node logged an ERROR:\n" + logs);
        }
    }

    private PackagedServer n(int i) {
        return cluster.node(i - 1);
    }

    private WsClient chat(int node, String room, String user) {
        WsClient client = WsClient.connectGreeted(base(n(node)), "/chat?room=" + room + "&user=" + user,
                "\"type\":\"welcome\"");
        clients.add(client);
        return client;
    }

    private static JsonNode read(WsClient client) {
        try {
            return ClusterHarness.JSON.readTree(client.nextText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String type(JsonNode event) {
        return event.path("type").asText();
    }

    /** The text of the next chat message, skipping joins, leaves and the warm-up's messages. */
    private static JsonNode nextMessage(WsClient client) {
        for (int i = 0; i < 200; i++) {
            JsonNode event = read(client);
            if (type(event).equals("message") && !event.path("text").asText().startsWith("warm")) {
                return event;
            }
        }
        throw new AssertionError("no message");
    }

    /** Drains what has arrived; true when one of them is a message whose text starts with the prefix. */
    private static boolean saw(WsClient client, String prefix) {
        boolean seen = false;
        Object next;
        while ((next = client.poll(1)) != null) {
            try {
                JsonNode event = ClusterHarness.JSON.readTree((String) next);
                seen |= type(event).equals("message") && event.path("text").asText().startsWith(prefix);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return seen;
    }

    /**
     * Sends warm-up messages from {@code from} until every receiver saw one: the receivers' servers have
     * subscribed to the room. Returns how long it took.
     */
    private Duration warmUp(WsClient from, WsClient... receivers) throws InterruptedException {
        boolean[] seen = new boolean[receivers.length];
        int[] k = { 0 };
        return await("every receiver hears the room", Duration.ofSeconds(30), () -> {
            from.send("warm " + k[0]++);
            sleepQuietly(100);
            boolean all = true;
            for (int i = 0; i < receivers.length; i++) {
                seen[i] |= saw(receivers[i], "warm");
                all &= seen[i];
            }
            return all;
        });
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(1)
    void aMessagePostedOnOneNodeReachesTheRoomOnEveryOtherNode() throws Exception {
        WsClient ada = chat(1, "across", "ada");
        WsClient bob = chat(2, "across", "bob");
        WsClient cy = chat(3, "across", "cy");
        warmUp(ada, bob, cy);
        ada.send("hello from n1");
        for (WsClient receiver : List.of(bob, cy)) {
            JsonNode message = nextMessage(receiver);
            assertEquals("hello from n1", message.path("text").asText());
            assertEquals("ada", message.path("user").asText());
        }
        // In order across servers, as posted.
        for (int i = 0; i < 100; i++) {
            cy.send("n3 says " + i);
        }
        for (WsClient receiver : List.of(ada, bob)) {
            for (int i = 0; i < 100; i++) {
                assertEquals("n3 says " + i, nextMessage(receiver).path("text").asText());
            }
        }
        // Never to the sender: Ada's next message is Bob's.
        bob.send("hi ada");
        JsonNode next = nextMessage(ada);
        assertEquals("bob", next.path("user").asText());
    }

    @Test
    @Order(2)
    void aBackendPostOnOneNodeReachesEveryNodeAndTheCountsAreClusterWide() throws Exception {
        WsClient ada = chat(1, "backend", "ada");
        WsClient bob = chat(2, "backend", "bob");
        WsClient cy = chat(3, "backend", "cy");
        warmUp(ada, bob, cy);
        String body = "{\"type\":\"message\",\"user\":\"system\",\"text\":\"deploy at noon\"}";
        HttpResponse<String> posted = cluster.post(n(2), "/api/channels/room:backend", "application/json", body);
        assertEquals(202, status(posted), posted == null ? "no answer" : posted.body());
        for (WsClient receiver : List.of(ada, bob, cy)) {
            assertEquals("deploy at noon", nextMessage(receiver).path("text").asText());
        }
        await("n3 counts room:backend on all three nodes", Duration.ofSeconds(15), () -> {
            JsonNode list = json(cluster.get(n(3), "/api/channels"));
            for (JsonNode channel : list.path("channels")) {
                if (channel.path("name").asText().equals("room:backend")) {
                    JsonNode nodes = channel.path("nodes");
                    return channel.path("subscribers").asInt() == 3 && nodes.path("n1").asInt() == 1
                            && nodes.path("n2").asInt() == 1 && nodes.path("n3").asInt() == 1;
                }
            }
            return false;
        });
    }

    @Test
    @Order(3)
    void aRedisOutageKeepsLocalDeliveryAndCrossNodeDeliveryComesBackByItself() throws Exception {
        WsClient ada = chat(1, "outage", "ada");
        WsClient ann = chat(1, "outage", "ann");
        WsClient bob = chat(2, "outage", "bob");
        warmUp(ada, ann, bob);
        cluster.redis.stop();
        try {
            // Ann is on Ada's server: she hears her with Redis gone.
            for (int i = 0; i < 20; i++) {
                ada.send("local " + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("local " + i, nextMessage(ann).path("text").asText());
            }
            HttpResponse<String> list = cluster.get(n(1), "/api/channels");
            assertEquals(200, status(list));
            assertTrue(json(list).path("problem").asText().contains("Redis"), list.body());
            // A backend post could reach this server only: refused with a sentence, and delivered nowhere, so that
            // a retry once Redis is back does not deliver it twice (issue 19, item 8).
            HttpResponse<String> posted = cluster.post(n(1), "/api/channels/room:outage", "application/json",
                    "{\"type\":\"message\",\"user\":\"system\",\"text\":\"backend during the outage\"}");
            assertEquals(503, status(posted), posted == null ? "no answer" : posted.body());
            assertTrue(json(posted).path("message").asText().contains("Redis cannot be reached"), posted.body());
            ada.send("local marker");
            assertEquals("local marker", nextMessage(ann).path("text").asText(),
                    "Ann, on the server that refused the post, did not get it");
        } finally {
            cluster.redis.restart();
        }
        // Without a restart of any server, Bob hears Ada again.
        Duration back = await("n2 hears n1 again after Redis returned", Duration.ofSeconds(30), () -> {
            ada.send("back");
            sleepQuietly(200);
            return saw(bob, "back");
        });
        System.out.println("cross-node delivery came back " + back.toMillis() + " ms after Redis restarted");
        ada.send("after the outage");
        JsonNode message = nextMessage(ann);
        while (message.path("text").asText().equals("back")) {
            message = nextMessage(ann);
        }
        assertEquals("after the outage", message.path("text").asText());
    }

    /**
     * Issue 19, item 8: rooms left while Redis is away, and joins and leaves while the subscriber connects again,
     * leave Redis subscribed to exactly the rooms that still have members here (the reconnect's SUBSCRIBE of every
     * name must not bring back one just left). The race is narrow: this churns through the reconnect to give it
     * chances, and holds the end state to the exact set.
     */
    @Test
    @Order(4)
    void joinsAndLeavesAcrossARedisRestartLeaveNoStraySubscription() throws Exception {
        List<WsClient> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(WsClient.connectGreeted(base(n(1)), "/chat?room=churn-" + i + "&user=u" + i, "\"type\":\"welcome\""));
        }
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (int i = 0; i < 10; i++) {
            all.add("edgesocket:bc:room:churn-" + i);
        }
        await("n1 subscribed to the ten rooms", Duration.ofSeconds(15), () -> subscribedChurn().equals(all));
        cluster.redis.stop();
        try {
            for (int i = 0; i < 5; i++) {
                members.get(i).close();
            }
        } finally {
            cluster.redis.restart();
        }
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (int k = 0; System.nanoTime() < end; k++) {
            WsClient passing = WsClient.connectGreeted(base(n(1)), "/chat?room=churn-" + (10 + k % 20) + "&user=p",
                    "\"type\":\"welcome\"");
            passing.close();
        }
        java.util.Set<String> kept = new java.util.TreeSet<>();
        for (int i = 5; i < 10; i++) {
            kept.add("edgesocket:bc:room:churn-" + i);
        }
        try {
            await("Redis holds exactly the rooms with members", Duration.ofSeconds(15), () -> subscribedChurn().equals(kept));
        } finally {
            members.forEach(WsClient::close);
        }
    }

    private java.util.Set<String> subscribedChurn() {
        try {
            return new java.util.TreeSet<>(cluster.redis.commandList("PUBSUB", "CHANNELS", "edgesocket:bc:room:churn-*"));
        } catch (java.io.IOException e) {
            return java.util.Set.of();
        }
    }

    @Test
    @Order(5)
    void aNodeKilledWithSigkillLeavesTheRoomAndTheOthersGoOn() throws Exception {
        WsClient ada = chat(1, "kill", "ada");
        WsClient bob = chat(2, "kill", "bob");
        chat(3, "kill", "cy");
        warmUp(ada, bob);
        n(3).kill();
        ada.send("still here");
        assertEquals("still here", nextMessage(bob).path("text").asText());
        await("n1 stops counting n3's channel objects", Duration.ofSeconds(20), () -> {
            JsonNode list = json(cluster.get(n(1), "/api/channels"));
            for (JsonNode channel : list.path("channels")) {
                if (channel.path("name").asText().equals("room:kill")) {
                    return channel.path("subscribers").asInt() == 2 && channel.path("nodes").path("n3").isMissingNode();
                }
            }
            return false;
        });
    }
}
