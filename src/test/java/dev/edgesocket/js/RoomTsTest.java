package dev.edgesocket.js;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * BroadcastChannel in a TypeScript zone (scripts/room.ts): its rooms are the Java chat's channels, so a client of
 * the TypeScript zone and one of the Java zone talk in one room; a backend's HTTP post reaches both.
 */
@QuarkusTest
class RoomTsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private static JsonNode next(WsClient client, String type) {
        for (int i = 0; i < 20; i++) {
            try {
                JsonNode event = JSON.readTree(client.nextText());
                if (event.path("type").asText().equals(type)) {
                    return event;
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no " + type + " event");
    }

    @Test
    void aTypeScriptRoomAndAJavaRoomOfOneNameAreOneRoom() {
        String welcome = "\"type\":\"welcome\"";
        try (WsClient ts = WsClient.connectGreeted(base, "/room-ts?room=mixed&user=tess", welcome);
                WsClient ts2 = WsClient.connectGreeted(base, "/room-ts?room=mixed&user=theo", welcome);
                WsClient java = WsClient.connectGreeted(base, "/chat?room=mixed&user=jay", welcome)) {
            ts.send("hello from TypeScript");
            JsonNode heard = next(java, "message");
            assertEquals("tess", heard.path("user").asText());
            assertEquals("hello from TypeScript", heard.path("text").asText());
            assertEquals("hello from TypeScript", next(ts2, "message").path("text").asText());
            java.send("hello from Java");
            assertEquals("hello from Java", next(ts, "message").path("text").asText());
            assertEquals("jay", next(ts2, "message").path("user").asText());
            // A backend's post reaches the TypeScript zone's clients too.
            given().header("AccessKey", "test-key").contentType("application/json")
                    .body("{\"type\":\"message\",\"user\":\"system\",\"text\":\"to everyone\"}")
                    .post("/api/channels/room:mixed").then().statusCode(202);
            assertEquals("to everyone", next(ts, "message").path("text").asText());
            assertEquals("to everyone", next(java, "message").path("text").asText());
            // Leaving is announced, and the script's channel closes with its socket's close listener.
            ts2.close(1000, "bye");
            assertEquals("theo", next(java, "leave").path("user").asText());
        }
        // Every object of the room is closed once its socket is: none left behind in the JavaScript contexts.
        Eventually.value("room:mixed to be closed (channel names listed)", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> given().header("AccessKey", "test-key").get("/api/channels").then().statusCode(200).extract()
                        .<java.util.List<String>>path("channels.name"),
                names -> !names.contains("room:mixed"));
    }

    @Test
    void badNamesAreRefusedWithASentence() {
        given().get("/room-ts?room=a/b&user=x").then().statusCode(400).body(containsString("Name a room"));
    }
}
