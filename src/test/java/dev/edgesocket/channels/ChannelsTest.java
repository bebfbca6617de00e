package dev.edgesocket.channels;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.BroadcastChannels;
import dev.edgesocket.api.MessageEvent;
import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** BroadcastChannel on one server: through the chat example, the HTTP endpoints and the injected bean. */
@QuarkusTest
class ChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    BroadcastChannels channels;

    private static RequestSpecification api() {
        return given().header("AccessKey", "test-key");
    }

    private static JsonNode next(WsClient client) {
        try {
            return JSON.readTree(client.nextText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The next chat event of this type, skipping joins and the like. */
    private static JsonNode next(WsClient client, String type) {
        for (int i = 0; i < 20; i++) {
            JsonNode event = next(client);
            if (event.path("type").asText().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event");
    }

    private WsClient join(String room, String user) {
        return WsClient.connectGreeted(base, "/chat?room=" + room + "&user=" + user, "\"type\":\"welcome\"");
    }

    @Test
    void aMessageReachesEveryOtherClientOfTheRoomAndNotItsSender() {
        try (WsClient ada = join("deliver", "ada"); WsClient bob = join("deliver", "bob");
                WsClient cy = join("deliver", "cy"); WsClient other = join("elsewhere", "dan")) {
            assertEquals("bob", next(ada, "join").path("user").asText());
            ada.send("hello room");
            for (WsClient receiver : List.of(bob, cy)) {
                JsonNode message = next(receiver, "message");
                assertEquals("hello room", message.path("text").asText());
                assertEquals("ada", message.path("user").asText());
                assertEquals("deliver", message.path("room").asText());
                assertTrue(Math.abs(System.currentTimeMillis() - message.path("at").asLong()) < 60_000);
            }
            // Ada's own message does not come back: the next thing she sees is Bob's answer.
            bob.send("hi ada");
            JsonNode answer = next(ada, "message");
            assertEquals("bob", answer.path("user").asText());
            assertEquals("hi ada", answer.path("text").asText());
            other.expectNothingFor(300); // another room hears nothing
        }
    }

    @Test
    void messagesOfOnePublisherArriveInOrder() {
        try (WsClient ada = join("order", "ada"); WsClient bob = join("order", "bob")) {
            for (int i = 0; i < 300; i++) {
                ada.send("m" + i);
            }
            for (int i = 0; i < 300; i++) {
                assertEquals("m" + i, next(bob, "message").path("text").asText());
            }
        }
    }

    @Test
    void joinsAndLeavesAreAnnouncedAndTheChannelClosesWithItsSocket() {
        try (WsClient ada = join("leave", "ada")) {
            WsClient bob = join("leave", "bob");
            assertEquals("bob", next(ada, "join").path("user").asText());
            awaitSubscribers("room:leave", 2);
            bob.close(1000, "bye");
            assertEquals("bob", next(ada, "leave").path("user").asText());
            awaitSubscribers("room:leave", 1);
        }
        awaitSubscribers("room:leave", 0);
    }

    private void awaitSubscribers(String name, int expected) {
        Eventually.value(name + " to have " + expected + " subscribers", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> {
                    List<Integer> counts = api().get("/api/channels").then().statusCode(200).extract().path(
                            "channels.findAll { it.name == '" + name + "' }.subscribers");
                    return counts.isEmpty() ? 0 : counts.get(0);
                }, seen -> seen == expected);
    }

    @Test
    void aSocketThatNeverOpensLeavesNoChannelBehind() throws Exception {
        RawClient.handshake(base, "/channel-lab?channel=lab:kept").close(); // opens, then the client vanishes
        for (int i = 0; i < 3; i++) {
            try (RawClient client = RawClient.open(base)) {
                assertEquals(403, client.request("GET", "/channel-lab?channel=lab:refused&refuse",
                        RawClient.validHandshakeHeaders(base)).status());
            }
            try (RawClient client = RawClient.open(base)) {
                assertEquals(500, client.request("GET", "/channel-lab?channel=lab:thrown&throw",
                        RawClient.validHandshakeHeaders(base)).status());
            }
        }
        awaitSubscribers("lab:kept", 0);
        awaitSubscribers("lab:refused", 0);
        awaitSubscribers("lab:thrown", 0);
        List<String> names = api().get("/api/channels").then().statusCode(200).extract().path("channels.name");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("lab:")), names.toString());
    }

    @Test
    void aBackendPostsOverHttpToEveryClientOfTheRoom() {
        try (WsClient ada = join("backend", "ada"); WsClient bob = join("backend", "bob")) {
            String body = "{\"type\":\"message\",\"user\":\"system\",\"text\":\"maintenance at noon\"}";
            api().contentType("application/json").body(body).post("/api/channels/room:backend").then().statusCode(202)
                    .body("channel", equalTo("room:backend")).body("bytes", equalTo(body.length()))
                    .body("binary", equalTo(false));
            assertEquals("maintenance at noon", next(ada, "message").path("text").asText());
            assertEquals("system", next(bob, "message").path("user").asText());
        }
    }

    @Test
    void theBeanDeliversTextAndBinaryAndNeverToItself() throws Exception {
        BlockingQueue<MessageEvent> received = new LinkedBlockingQueue<>();
        BlockingQueue<MessageEvent> own = new LinkedBlockingQueue<>();
        BroadcastChannel listener = channels.open("bean:test");
        BroadcastChannel poster = channels.open("bean:test");
        try {
            listener.addEventListener("message", received::add);
            poster.addEventListener("message", own::add);
            poster.postMessage("text");
            poster.postMessage(new byte[] { 1, 2, 3 });
            MessageEvent text = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(text);
            assertEquals("text", text.data());
            assertEquals(listener, text.target());
            MessageEvent binary = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(binary);
            assertArrayEquals(new byte[] { 1, 2, 3 }, (byte[]) binary.data());
            // Over HTTP: octet-stream arrives as binary, anything else as text; the poster hears these.
            api().contentType("application/octet-stream").body(new byte[] { 9, 8 }).post("/api/channels/bean:test")
                    .then().statusCode(202).body("binary", equalTo(true));
            assertArrayEquals(new byte[] { 9, 8 }, (byte[]) received.poll(5, TimeUnit.SECONDS).data());
            assertArrayEquals(new byte[] { 9, 8 }, (byte[]) own.poll(5, TimeUnit.SECONDS).data());
            assertTrue(own.isEmpty(), "the poster never got its own posts");
            // A closed object receives nothing and cannot post.
            listener.close();
            poster.postMessage("after close");
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> listener.postMessage("x"));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        } finally {
            listener.close();
            poster.close();
        }
    }

    @Test
    void namesAndSizesAreValidatedWithASentence() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> channels.open(""));
        assertEquals("A channel name must not be empty.", empty.getMessage());
        IllegalArgumentException space = assertThrows(IllegalArgumentException.class, () -> channels.open("a b"));
        assertTrue(space.getMessage().contains("' ' is not allowed"), space.getMessage());
        assertThrows(IllegalArgumentException.class, () -> channels.open("x".repeat(201)));
        BroadcastChannel channel = channels.open("sizes");
        try {
            IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                    () -> channel.postMessage(new byte[64 * 1024 + 1]));
            assertTrue(large.getMessage().contains("max-message-size (65536 bytes)"), large.getMessage());
            assertThrows(IllegalArgumentException.class, () -> channel.postMessage("é".repeat(32 * 1024 + 1)));
            channel.postMessage("é".repeat(32 * 1024)); // exactly 64 KiB of UTF-8
            assertThrows(IllegalArgumentException.class, () -> channel.addEventListener("close", e -> {
            }));
        } finally {
            channel.close();
        }
        api().body("x").post("/api/channels/a b").then().statusCode(400)
                .body("message", containsString("' ' is not allowed"));
        api().contentType("application/octet-stream").body(new byte[64 * 1024 + 1]).post("/api/channels/room:x")
                .then().statusCode(400).body("message", containsString("larger than edgesocket.channels.max-message-size"));
        api().contentType("text/plain").body(new byte[] { (byte) 0xC3, 0x28 }).post("/api/channels/room:x")
                .then().statusCode(400).body("message", containsString("not UTF-8"));
        given().body("x").post("/api/channels/room:x").then().statusCode(401);
        given().get("/api/channels").then().statusCode(401);
    }

    @Test
    void bothEndpointsAreInTheOpenApiDocument() {
        String openApi = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(openApi.contains("/api/channels:"), openApi);
        assertTrue(openApi.contains("/api/channels/{name}:"), openApi);
        assertTrue(openApi.contains("Post a message to a channel on every server"), openApi);
    }

    @Test
    void theChatRefusesBadRoomsAndUsersBeforeTheUpgrade() {
        given().get("/chat?room=a/b&user=ada").then().statusCode(400).body(containsString("Name a room"));
        given().get("/chat?room=lobby").then().statusCode(400).body(containsString("Name yourself"));
    }

    /**
     * A client that reads nothing in a busy room is closed with 1008 by its zone's 64 KiB write bound, while
     * a client that reads gets every message, in order.
     */
    @Test
    void aSlowClientIsClosedWithoutSlowingTheRoom() throws Exception {
        try (RawClient slow = RawClient.handshake(base, "/chat-small?room=busy&user=slow");
                WsClient fast = WsClient.connect(base, "/chat-small?room=busy&user=fast");
                WsClient publisher = WsClient.connect(base, "/chat-small?room=busy&user=pub")) {
            awaitSubscribers("room:busy", 3);
            String payload = "x".repeat(1000);
            int count = 8000; // 8 MB: far past 64 KiB plus what loopback's socket buffers hold
            for (int i = 0; i < count; i++) {
                publisher.send(i + " " + payload);
            }
            int n = 0;
            String left = null;
            while (n < count || left == null) {
                JsonNode event = next(fast);
                if (event.path("type").asText().equals("message")) {
                    assertEquals(n + " " + payload, event.path("text").asText(), "in order, none lost");
                    n++;
                } else if (event.path("type").asText().equals("leave")) {
                    left = event.path("user").asText();
                }
            }
            // The slow client was closed with 1008 (it reads nothing, so it never sees the frame: the server
            // drops the connection), and the room heard it leave.
            assertEquals("slow", left);
            assertTrue(slow.awaitEndOfStream(15_000), "the slow client's connection is dropped");
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("edgesocket_closes_total") && l.contains("zone=\"chat-small\"")
                    && l.contains("code=\"1008\"") && !l.endsWith(" 0.0")), "a 1008 close is counted for chat-small");
            assertFalse(fast.isClosed());
        }
        awaitSubscribers("room:busy", 0);
        // The room's messages counted in the server's queued-bytes budget (once each, however many waited for them)
        // and were all given back: nothing of them is held once every socket is gone.
        String queued = Eventually.last(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                        .filter(l -> l.startsWith("edgesocket_queued_bytes ")).findFirst().orElse("absent"),
                "edgesocket_queued_bytes 0.0"::equals);
        assertEquals("edgesocket_queued_bytes 0.0", queued, "every queued byte was given back");
    }

}
