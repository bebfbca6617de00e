package dev.edgesocket.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The JavaScript chat-with-a-bot example (scripts/chat.js): async listeners and timers, over real sockets. */
@QuarkusTest
class ChatJsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    /**
     * The next message but the welcome: the bot greets on "open", which the test client may miss (it
     * installs its handler once the handshake is done, and the greeting can come first).
     */
    private static JsonNode next(WsClient client) throws Exception {
        JsonNode message = JSON.readTree(client.nextText());
        return message.get("text").asText().startsWith("Welcome, ") ? JSON.readTree(client.nextText()) : message;
    }

    @Test
    void theBotWelcomesAnswersInOrderAndReminds() throws Exception {
        try (WsClient client = WsClient.connect(base, "/chat-js?nick=ada")) {
            client.send("/shout hi there");
            client.send("/remind 1 tea");
            client.send("hello");
            assertEquals("/shout hi there", next(client).get("text").asText()); // its own lines come back at once
            assertEquals("ada", next(client).get("from").asText());
            assertEquals("ada", next(client).get("from").asText());
            assertEquals("HI THERE!", next(client).get("text").asText()); // then the bot, in order
            assertEquals("I will remind you in 1 s.", next(client).get("text").asText());
            assertEquals("ada said 5 characters.", next(client).get("text").asText());
            long start = System.nanoTime();
            JsonNode reminder = next(client);
            assertEquals("Reminder: tea", reminder.get("text").asText());
            assertEquals("bot", reminder.get("from").asText());
            assertTrue(System.nanoTime() - start > 500_000_000L, "the reminder waited for its timer");
        }
    }

    @Test
    void aClosedSocketsRemindersAreCleared() throws Exception {
        try (WsClient client = WsClient.connect(base, "/chat-js")) {
            client.send("/remind 1 never");
            next(client);
            assertEquals("I will remind you in 1 s.", next(client).get("text").asText());
        }
        try (WsClient client = WsClient.connect(base, "/chat-js")) {
            client.send("/time");
            assertEquals("/time", next(client).get("text").asText());
            assertTrue(next(client).get("text").asText().startsWith("It is "));
            client.expectNothingFor(1500);
        }
    }
}
